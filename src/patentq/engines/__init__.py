"""Engines run the stage SQL (DuckDB dialect) over a lake: DuckDB by default, Spark optionally.

A stage asks ``get_engine(name, lake)`` for an engine and uses only the ``Engine`` methods, so
the same stage runs on either.
"""

from __future__ import annotations

from ..errors import UsageError
from .base import Engine

ENGINES = ("duckdb", "spark")


def get_engine(name: str, lake, **options) -> Engine:
    if name == "duckdb":
        from .duckdb import DuckDBEngine

        return DuckDBEngine(lake, **options)
    if name == "spark":
        from .spark import SparkEngine

        return SparkEngine(lake, **options)
    raise UsageError(f"unknown engine {name!r}", hint=f"choose one of {', '.join(ENGINES)}")


__all__ = ["Engine", "ENGINES", "get_engine"]
