"""The ``patentq`` command line: thin wrappers over the library.

Each command group lives in its own module and registers itself on ``main``; errors from the
library become one clean message and an exit code here, at the edge:
0 success, 1 internal error, 2 usage error, 3 bad input (unreadable or corrupt file, no lake).
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from ..errors import PatentqError

#: Modules that add commands to ``main``. Each defines ``register(main)``.
COMMAND_MODULES = [
    "patentq.cli.ingest_cmd",
    "patentq.cli.export_cmd",
    "patentq.cli.landscape_cmd",
    "patentq.cli.indicators_cmd",
    "patentq.cli.applicants_cmd",
    "patentq.cli.compare_cmd",
    "patentq.cli.demo_cmd",
    "patentq.cli.scale_cmd",
    "patentq.cli.web_cmd",
]


class PatentqGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PatentqError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # an internal error: say so plainly, traceback on request
            if os.environ.get("PATENTQ_DEBUG"):
                raise
            click.secho(f"internal error: {type(exc).__name__}: {exc}", fg="red", err=True)
            click.echo("  hint: this is a bug in patentq; rerun with PATENTQ_DEBUG=1 for the traceback and report it",
                       err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.secho("interrupted: the lake is unchanged", fg="yellow", err=True)
            ctx.exit(130)


@click.group(cls=PatentqGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="patentq")
def main():
    """patentq: measure innovation in a technology field by quality as well as number."""


for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:
            raise
        continue
    _module.register(main)


def run():  # pragma: no cover - console entry point alias
    sys.exit(main())
