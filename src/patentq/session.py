"""A session: one lake opened with one engine, handed to every stage, command and view.

``patentq.open_lake(path)`` returns one. The CLI opens one per command (``--lake``,
``--engine``, ``--memory-limit``...), the web server one per lake (a cursor per request
thread), and a notebook holds one. Stages take the session, never a path or an engine name;
``require`` brings the derived tables a caller needs up to date first (``stages.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engines import get_engine
from .lake import Lake

if TYPE_CHECKING:  # pragma: no cover
    from .engines.base import Engine


class Session:
    """``Session(lake, engine="duckdb", **settings)``; ``settings`` go to the engine
    (``memory_limit``, ``threads``, ``temp_directory`` for DuckDB; ``master`` for Spark)."""

    def __init__(self, lake: Lake, engine: str = "duckdb", build: bool = True, wait: float | None = None,
                 **settings):
        self.lake = lake
        self.engine_name = engine
        self.settings = {k: v for k, v in settings.items() if v is not None}
        #: False: never build a stale or missing table, say what is missing instead (``--no-build``).
        self.build = build
        #: Seconds to wait for another writer before building (``--wait``).
        self.wait = wait
        self._engine: Engine | None = None
        self._manifest_seen = self.lake.manifest_hash()

    @classmethod
    def open(cls, path=None, engine: str = "duckdb", **settings) -> "Session":
        return cls(Lake.open(path), engine, **settings)

    # --- the engine ---------------------------------------------------------------------------
    @property
    def engine(self) -> "Engine":
        if self._engine is None:
            self._engine = get_engine(self.engine_name, self.lake, **self.settings)
        return self._engine

    def fork(self) -> "Session":
        """A session for another thread: same lake and database, its own cursor."""
        other = Session(self.lake, self.engine_name, self.build, self.wait, **self.settings)
        engine = self.engine
        other._engine = engine.fork() if hasattr(engine, "fork") else engine
        return other

    def sync(self) -> bool:
        """Follow commits made since the engine registered the lake's tables (by this session's
        stages or by another process). Returns whether anything changed."""
        now = self.lake.manifest_hash()
        if now == self._manifest_seen:
            return False
        self._manifest_seen = now
        if self._engine is not None:
            self._engine.refresh()
        return True

    def step(self, stage: str, step: str | None = None):
        """``with session.step("indicators", "citations"):`` names where errors happen."""
        return self.engine.step(stage, step)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- derived state ------------------------------------------------------------------------
    def require(self, *tables: str, progress=None, **params) -> list[dict]:
        """Bring ``tables`` (derived table names) up to date, building what is missing or stale
        in dependency order; returns what was built (``stages.ensure``)."""
        from .stages import ensure

        return ensure(self, tables, progress=progress, **params)

    def has(self, table: str) -> bool:
        return self.lake.has(table)

    # --- reading ------------------------------------------------------------------------------
    def query(self, sql: str):
        """Run a SELECT on the session's engine and return it as an Arrow table (small results)."""
        return self.engine.query(sql)

    def connect(self, con=None, **settings):
        """A new DuckDB connection with every table of this lake registered as a view."""
        from .engines.duckdb import DuckDBEngine

        return DuckDBEngine(self.lake, con=con, **(settings or self.settings)).con

    def relation(self, table_or_sql: str):
        """A lazy DuckDB relation over a lake table (or a query): nothing is read until used. On a
        Spark session it is read through a DuckDB engine of its own (the same Parquet files)."""
        from .engines.duckdb import DuckDBEngine

        engine = self.engine if self.engine_name == "duckdb" else DuckDBEngine(self.lake, **self.settings)
        assert isinstance(engine, DuckDBEngine)
        return engine.relation(table_or_sql)

    def arrow(self, table: str):
        return self.relation(table).to_arrow_table()

    def df(self, table: str):
        return self.relation(table).df()

    def info(self) -> dict:
        """The summary ``patentq lake info --json`` prints."""
        from .lake_info import lake_info

        return lake_info(self)

    def manifest_hash(self) -> str:
        return self.lake.manifest_hash()

    @property
    def path(self) -> Path:
        return self.lake.path

    def __repr__(self) -> str:
        return f"<patentq lake {self.lake.path} on {self.engine_name}>"

    # --- the notebook API (docs/api.md) -------------------------------------------------------
    def compare(self, **options: Any):
        """The count-vs-quality comparison as a pandas DataFrame, one row per group, with the
        same columns as ``patentq compare --json`` rows (intervals as ``_lo``/``_hi``);
        conventions and notes in ``df.attrs``. Options are the ``compare`` options in Python
        spelling: ``by``, ``landscape``, ``counting``, ``years`` ("2014-2023", (2014, 2023) or
        "all"), ``year_basis``, ``top``, ``replicates``, ``seed``, ... (``compare.OPTIONS``)."""
        from .compare import compare_frame

        return compare_frame(self, **options)

    def comparison(self, **options: Any):
        """The full ``Comparison`` object behind ``compare`` (rows, notes, time series, ...)."""
        from .compare import compare, conventions

        return compare(self, conventions(**options), extras=True)

    def indicators(self, landscape: str | None = None):
        """``family_indicators`` (built if missing or stale) as a lazy DuckDB relation; ``.df()``
        loads it. ``landscape`` keeps that landscape's families."""
        from . import sql

        members = sql.table_name(f"landscape_{landscape}") if landscape else None
        self.require("family_indicators", *([members] if members else []))
        if not members:
            return self.relation("family_indicators")
        return self.relation(sql.load("patentq.indicators", "of_landscape", members=members))

    def families(self):
        """``families`` (built if missing or stale) as a lazy DuckDB relation."""
        self.require("families")
        return self.relation("families")

    def landscape(self, name_or_path):
        """A landscape definition bound to this lake: ``.apply()``, ``.explain(pub)``, ``.members()``."""
        from .landscapes.bound import BoundLandscape

        return BoundLandscape(self, name_or_path)

    def family(self, publication_number: str) -> dict:
        """Everything about the family of one publication (what ``patentq family --json`` prints)."""
        from .family_report import family_report

        return family_report(self, publication_number)

    def report(self, path="report.html", sensitivity: bool = True, **options: Any) -> Path:
        """Write the HTML report for these options; returns its path."""
        from .compare import compare, conventions
        from .report import write_report

        result = compare(self, conventions(**options), sensitivity=sensitivity, extras=True)
        return write_report(result, path)
