"""Reusable option decorators, so every command spells shared options the same way.

``session_options`` gives a command ``--lake`` and the engine options and hands it one opened
``Session`` (the lake and its engine) as ``session``: commands never open lakes or engines
themselves.
"""

from __future__ import annotations

import functools
import json

import click

from ..lake import default_lake_path


def lake_option(func):
    return click.option(
        "--lake",
        "lake_path",
        type=click.Path(file_okay=False),
        default=None,
        help="Lake folder. Default: $PATENTQ_LAKE, then ./patentq-lake.",
        callback=lambda ctx, param, value: default_lake_path(value),
    )(func)


def finite(ctx, param, value):
    """Reject ``nan`` (click's FloatRange lets it through: it compares false with every bound)."""
    if value is not None and value != value:
        raise click.BadParameter("not a number")
    return value


def wait_option(func):
    return click.option("--wait", type=click.FloatRange(0, 7 * 86400), default=None, callback=finite,
                        help="Seconds to wait for another patentq process writing to the lake "
                             "(default $PATENTQ_LOCK_WAIT, else 0: fail at once).")(func)


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(func)


def engine_options(func):
    """The engine and its limits (no lake): for commands that open a session themselves."""
    opts = [
        click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
                     help="Where the stage SQL runs."),
        click.option("--memory-limit", default=None,
                     help="DuckDB memory limit, e.g. 4GB (spills to disk beyond it; default $PATENTQ_MEMORY_LIMIT, "
                          "else a quarter of RAM)."),
        click.option("--threads", type=click.IntRange(1), default=None, help="DuckDB threads (default: all cores)."),
        click.option("--temp-directory", type=click.Path(file_okay=False), default=None,
                     help="Where DuckDB spills (default $PATENTQ_TEMP_DIRECTORY, else LAKE/.tmp)."),
        click.option("--spark-master", default=None, help="Spark master URL (default local[*] or $SPARK_REMOTE)."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def engine_settings(engine: str, memory_limit=None, threads=None, temp_directory=None, spark_master=None) -> dict:
    if engine == "duckdb":
        return {"memory_limit": memory_limit, "threads": threads, "temp_directory": temp_directory}
    return {"master": spark_master}


def session_options(func):
    """``--lake``, the engine options, ``--wait`` and ``--no-build``; the command gets ``session``."""

    @functools.wraps(func)
    def wrapper(*args, lake_path, engine, memory_limit, threads, temp_directory, spark_master, wait, no_build,
                **kwargs):
        from ..session import Session

        settings = engine_settings(engine, memory_limit, threads, temp_directory, spark_master)
        with Session.open(lake_path, engine, build=not no_build, wait=wait, **settings) as session:
            return func(*args, session=session, **kwargs)

    wrapper = click.option("--no-build", is_flag=True,
                           help="Never build missing or stale derived tables; say what is missing instead.")(wrapper)
    wrapper = wait_option(wrapper)
    wrapper = engine_options(wrapper)
    return lake_option(wrapper)


def echo_json(data) -> None:
    from ..web.api import jsonable

    click.echo(json.dumps(jsonable(data), indent=2, default=str, ensure_ascii=False))


class StageProgress:
    """A rich status line that stage builds report to (``session.require(progress=...)``)."""

    def __init__(self, quiet: bool = False):
        from rich.console import Console

        self.console = Console(stderr=True)
        self.quiet = quiet
        self.status = None

    def __enter__(self):
        if not self.quiet:
            self.status = self.console.status("", spinner="dots")
            self.status.__enter__()
        return self

    def __call__(self, stage: str, detail: str | None = None) -> None:
        if self.status is not None:
            self.status.update(f"[bold]{stage}[/]" + (f": {detail}" if detail else ""))

    def __exit__(self, *exc):
        if self.status is not None:
            self.status.__exit__(*exc)
        return False
