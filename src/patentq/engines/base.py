"""The engine interface every stage uses, and the one place backend errors are translated.

Stage SQL is written once in the DuckDB dialect, kept to a portable subset (no DuckDB-only
table functions, no macros in stage SQL), and refers to lake tables by name. Every statement a
stage runs goes through ``Engine._guarded``: a backend exception comes back as a
``ResourceError`` (out of memory, out of disk, interrupted: exit 3, with the limits in force and
the options that help), a ``LakeError`` (a damaged Parquet part) or a ``StageError`` naming the
stage, the step and the SQL (a bug). Stages say where they are with ``engine.step(stage, step)``.
"""

from __future__ import annotations

import abc
import contextlib
import re
import shutil
from pathlib import Path

import pyarrow as pa

from ..errors import PatentqError, ResourceError, StageError

#: How much of a failing statement an error message quotes.
SQL_EXCERPT = 600


class Engine(abc.ABC):
    name: str

    def __init__(self, lake):
        self.lake = lake
        self.stage: str | None = None
        self.current_step: str | None = None

    # --- where we are -----------------------------------------------------------------------
    @contextlib.contextmanager
    def step(self, stage: str, step: str | None = None):
        """Name the stage and step of the statements run inside (for error messages)."""
        saved = (self.stage, self.current_step)
        self.stage, self.current_step = stage, step
        try:
            yield self
        finally:
            self.stage, self.current_step = saved

    @contextlib.contextmanager
    def join_sides_as_written(self):
        """Inside, a join builds its hash table on its right side, as written, whatever the planner
        estimates (an engine that would swap the sides turns that off; the others do nothing)."""
        yield self

    # --- what stages call -------------------------------------------------------------------
    def query(self, sql: str) -> pa.Table:
        """Run a SELECT and return the result as Arrow (for small results only)."""
        return self._guarded(sql, lambda: self._query(sql))

    def rows(self, sql: str) -> list[dict]:
        return self.query(sql).to_pylist()

    def scalar(self, sql: str):
        table = self.query(sql)
        return table.column(0)[0].as_py() if table.num_rows else None

    def create_view(self, name: str, sql: str) -> None:
        """A view visible to later queries of this engine."""
        self._guarded(sql, lambda: self._create_view(name, sql))

    def materialize(self, name: str, sql: str) -> None:
        """Compute ``sql`` once for several later queries: a temporary table where the engine has
        them (private to this engine's connection), else a view."""
        self._guarded(sql, lambda: self._materialize(name, sql))

    @abc.abstractmethod
    def register_arrow(self, name: str, table: pa.Table) -> None:
        """Make a small Arrow table (computed in Python) visible to SQL as ``name``."""

    def write_parquet(self, sql: str, folder) -> list:
        """Run ``sql`` and write its result as Parquet files into ``folder``; return the files."""
        return self._guarded(sql, lambda: self._write_parquet(sql, folder))

    def write_derived(self, name: str, sql: str, **meta) -> int:
        """Materialise ``sql`` as the derived table ``name`` in the lake, atomically.

        Returns the row count. ``meta`` (stage key, parameters) goes into the manifest.
        """
        import pyarrow.parquet as pq

        with self.lake.transaction() as txn:
            folder = txn.staging / "derived" / name
            folder.mkdir(parents=True, exist_ok=True)
            files = []
            for i, written in enumerate(self.write_parquet(sql, folder)):
                # a name of its own per commit: the previous parts stay readable until retired
                files.append(Path(written).rename(folder / f"{txn.id}-{i:05d}.parquet"))
            rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
            txn.derived[name] = {"parts": [txn.relative(f) for f in files], "rows": rows, "engine": self.name, **meta}
        self.refresh()
        return rows

    def refresh(self) -> None:
        """Re-register the lake's tables after the lake changed."""

    def close(self) -> None:
        """Release the engine's connection (the engine is not used afterwards)."""

    # --- backends implement -----------------------------------------------------------------
    @abc.abstractmethod
    def _query(self, sql: str) -> pa.Table: ...

    @abc.abstractmethod
    def _create_view(self, name: str, sql: str) -> None: ...

    def _materialize(self, name: str, sql: str) -> None:
        self._create_view(name, sql)

    @abc.abstractmethod
    def _write_parquet(self, sql: str, folder) -> list: ...

    def limits(self) -> dict:
        """The resource limits in force, for error messages."""
        return {}

    def classify(self, exc: BaseException) -> str | None:
        """``memory`` | ``disk`` | ``interrupted`` | ``damaged`` for resource and data failures,
        None for anything else (a bug)."""
        return None

    def about_the_query(self, exc: BaseException) -> bool:
        """Whether ``exc`` is about the SQL itself (parse, bind, unknown name), so no damaged
        file can be behind it."""
        return False

    def _damaged(self, exc: BaseException, sql: str | None) -> str | None:
        """A backend error the engine cannot place may come from a damaged part (a corrupt page
        reads as "don't know what type", "Out of buffer", ...): read the parts of the tables the
        statement names, then every part, and name the first that does not read."""
        if self.lake is None or self.about_the_query(exc):
            return None
        named = [t for t in self.lake.tables() if re.search(rf"\b{re.escape(t)}\b", sql or "")]
        found = self.lake.damaged_part(named) if named else None
        found = found or self.lake.damaged_part()
        return f"{found[0]}: {found[1]}" if found else None

    # --- errors -----------------------------------------------------------------------------
    def _guarded(self, sql: str, call):
        try:
            return call()
        except PatentqError:
            raise
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # translated here, once, for every stage
            raise self.translate(exc, sql) from exc

    def translate(self, exc: BaseException, sql: str | None) -> PatentqError:
        kind = self.classify(exc)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if kind is None and (damaged := self._damaged(exc, sql)):
            kind, first = "damaged", damaged
        where = dict(stage=self.stage, step=self.current_step, sql=sql)
        if kind in ("memory", "disk", "interrupted"):
            what = {"memory": "out of memory", "disk": "out of disk space", "interrupted": "interrupted"}[kind]
            return ResourceError(f"{what} ({first})", hint=self._resource_hint(kind), **where)
        if kind == "damaged":
            from ..errors import LakeError

            return LakeError(f"the lake {self.lake.path if self.lake else ''} has a damaged file: {first}",
                             hint="restore the lake from a backup, or re-ingest its sources into a new lake")
        excerpt = " ".join((sql or "").split())[:SQL_EXCERPT]
        return StageError(f"{type(exc).__name__}: {first}" + (f"\n  sql: {excerpt}" if excerpt else ""),
                          hint="this is a bug in patentq; rerun with PATENTQ_DEBUG=1 for the traceback and report "
                               "it with this message", **where)

    def _resource_hint(self, kind: str) -> str:
        limits = self.limits()
        said = ", ".join(f"{k} {v}" for k, v in limits.items() if v is not None)
        if kind == "memory":
            helps = ("raise the limit with --memory-limit (or $PATENTQ_MEMORY_LIMIT), use fewer --threads so each "
                     "gets more memory, give DuckDB room to spill with --temp-directory on a bigger disk (or "
                     "$PATENTQ_TEMP_DIRECTORY), or run on Spark (--engine spark)")
        elif kind == "disk":
            helps = ("free disk space, or point the spill folder at a bigger disk with --temp-directory "
                     "(or $PATENTQ_TEMP_DIRECTORY)")
        else:
            helps = "run the command again; it starts from the lake as it was"
        return f"limits in force: {said}; {helps}. The lake is unchanged." if said else f"{helps}. The lake is unchanged."


def free_space(folder: Path) -> int | None:
    """Free bytes on the disk holding ``folder`` (or its nearest existing parent)."""
    folder = Path(folder)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def human_bytes(n: int | None) -> str:
    if n is None:
        return "unknown"
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"
