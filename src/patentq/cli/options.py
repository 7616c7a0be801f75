"""Reusable option decorators, so every command spells shared options the same way."""

from __future__ import annotations

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


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(func)


def engine_option(func):
    func = click.option("--memory-limit", default=None, help="DuckDB memory limit, e.g. 4GB (spills beyond it).")(func)
    func = click.option("--spark-master", default=None, help="Spark master URL (default local[*] or $SPARK_REMOTE).")(func)
    return click.option(
        "--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
        help="Where the stage SQL runs.",
    )(func)


def engine_settings(engine: str, memory_limit: str | None, spark_master: str | None) -> dict:
    if engine == "duckdb":
        return {"memory_limit": memory_limit} if memory_limit else {}
    return {"master": spark_master} if spark_master else {}


def echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))
