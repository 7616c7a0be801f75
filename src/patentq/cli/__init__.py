"""The ``patentq`` command line: thin wrappers over the library.

Each command lives in the module named after it and registers itself on ``main``; errors from
the library become one clean message and an exit code here, at the edge:
0 success, 1 internal error, 2 usage error, 3 bad input or environment (unreadable or corrupt
file, no lake, lake locked, out of memory or disk).
"""

from __future__ import annotations

import errno
import os
import sys

import click

from ..errors import PatentqError
from . import (applicants, compare, demo, export_query, family, indicators, ingest, lake, landscape, landscape_refine,
               report, run, serve, synth)

#: Modules that add commands to ``main``, in the order ``patentq --help`` lists them.
COMMAND_MODULES = (ingest, lake, export_query, run, landscape, landscape_refine, indicators, family, applicants,
                   compare, report, demo, synth, serve)

#: OS errors that are the environment's, not a bug: exit 3 with what to do.
ENVIRONMENT_ERRORS = {
    errno.ENOSPC: "the disk is full: free some space (the lake is unchanged)",
    errno.EROFS: "the file system is read-only: copy the lake somewhere writable",
    errno.EACCES: "permission denied: check the folder's permissions",
    errno.EPERM: "permission denied: check the folder's permissions",
    errno.EDQUOT: "the disk quota is exhausted: free some space",
}


class PatentqGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PatentqError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except OSError as exc:
            if exc.errno in ENVIRONMENT_ERRORS and not os.environ.get("PATENTQ_DEBUG"):
                click.secho(f"error: {exc.strerror}: {exc.filename or ''}".rstrip(": "), fg="red", err=True)
                click.echo(f"  hint: {ENVIRONMENT_ERRORS[exc.errno]}", err=True)
                ctx.exit(3)
            self._internal(ctx, exc)
        except Exception as exc:  # an internal error: say so plainly, traceback on request
            self._internal(ctx, exc)
        except KeyboardInterrupt:
            click.secho("interrupted: the lake is unchanged", fg="yellow", err=True)
            ctx.exit(130)

    @staticmethod
    def _internal(ctx, exc: BaseException) -> None:
        if os.environ.get("PATENTQ_DEBUG"):
            raise exc
        click.secho(f"internal error: {type(exc).__name__}: {exc}", fg="red", err=True)
        click.echo("  hint: this is a bug in patentq; rerun with PATENTQ_DEBUG=1 for the traceback and report it",
                   err=True)
        ctx.exit(1)


@click.group(cls=PatentqGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="patentq")
def main():
    """patentq: measure innovation in a technology field by quality as well as number."""


for _module in COMMAND_MODULES:
    _module.register(main)


def run_main():  # pragma: no cover - console entry point alias
    sys.exit(main())
