"""DuckDB: the embedded default engine. Spills to disk beyond ``memory_limit``.

Lake tables are plain views in the engine's in-memory database, so a cursor (``fork``) sees
them too: the web server gives each request thread its own cursor over one database. Tables a
computation materialises are temporary, private to the cursor that made them.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa

from .. import sql as q
from ..errors import UsageError
from ..lake import DERIVED_COPY_OPTIONS
from ..normalize import install_sql_macros
from ..schema import CANONICAL, duckdb_type
from .base import Engine, free_space, human_bytes

#: Room left on the spill disk: DuckDB stops spilling (and patentq says so) before the disk holds
#: less than this, or half its free space when that is smaller.
DISK_RESERVE = 10 * 2**30


def empty_select(schema: pa.Schema) -> str:
    cols = ", ".join(f"CAST(NULL AS {duckdb_type(f.type)}) AS {f.name}" for f in schema)
    return f"SELECT {cols} WHERE false"


def parquet_source(files: list[Path]) -> str:
    return "read_parquet([" + ", ".join(q.literal(str(f)) for f in files) + "], union_by_name = true)"


def spill_folder(lake, temp_directory=None) -> Path:
    """Where DuckDB spills beyond its memory limit: ``--temp-directory`` or
    ``$PATENTQ_TEMP_DIRECTORY``, else beside the lake (same disk, room to grow), or the system
    temp folder when the lake is read-only."""
    chosen = temp_directory or os.environ.get("PATENTQ_TEMP_DIRECTORY")
    if chosen:
        return Path(chosen)
    if lake is not None and os.access(lake.path, os.W_OK):
        return lake.path / ".tmp"  # DuckDB creates it only when it actually spills
    return Path(tempfile.gettempdir()) / "patentq-spill"


def default_memory_limit() -> str:
    """``$PATENTQ_MEMORY_LIMIT``, else a quarter of physical memory (6 GB on a 24 GB machine).

    DuckDB's own default is 80% of RAM; a quarter keeps the whole process comfortably below
    the memory a laptop can spare, and DuckDB spills to disk beyond it instead of growing.
    """
    if os.environ.get("PATENTQ_MEMORY_LIMIT"):
        return os.environ["PATENTQ_MEMORY_LIMIT"]
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return "4GB"
    return f"{max(1, total // 4 // 2**20)}MB"


class DuckDBEngine(Engine):
    name = "duckdb"

    def __init__(self, lake, con=None, memory_limit: str | None = None, threads: int | None = None,
                 temp_directory=None, **_ignored):
        super().__init__(lake)
        self.con = con or duckdb.connect()
        self.memory_limit = memory_limit or default_memory_limit()
        self.threads = threads
        self.temp_directory = spill_folder(lake, temp_directory)
        try:
            self.con.execute(f"SET memory_limit = {q.literal(self.memory_limit)}")
        except duckdb.Error as exc:
            raise UsageError(f"bad --memory-limit {self.memory_limit!r} (or $PATENTQ_MEMORY_LIMIT): "
                             f"{str(exc).splitlines()[0]}", hint="give a size such as 4GB or 512MB") from None
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute(f"SET temp_directory = {q.literal(str(self.temp_directory))}")
        free = free_space(self.temp_directory)
        if free is not None:
            cap = max(free - min(DISK_RESERVE, free // 2), 0)
            self.con.execute(f"SET max_temp_directory_size = '{cap // 2**20}MiB'")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET enable_progress_bar = false")  # the CLI shows its own progress
        install_sql_macros(self.con)
        self.refresh()

    def fork(self) -> "DuckDBEngine":
        """An engine on a new cursor of the same database: same lake views, own temporary
        tables, safe to use from another thread."""
        other = object.__new__(DuckDBEngine)
        Engine.__init__(other, self.lake)
        other.con = self.con.cursor()
        other.memory_limit, other.threads, other.temp_directory = self.memory_limit, self.threads, self.temp_directory
        return other

    def refresh(self) -> None:
        if self.lake is None:
            return
        for table in self.lake.tables():
            files = self.lake.parts(table)
            if files:
                source = f"SELECT * FROM {parquet_source(files)}"
            elif table in CANONICAL:
                source = empty_select(CANONICAL[table])
            else:
                continue
            self._guarded(source, lambda: self.con.execute(f"CREATE OR REPLACE VIEW {table} AS {source}"))

    def close(self) -> None:
        self.con.close()

    def _query(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def relation(self, sql_or_table: str):
        """A lazy DuckDB relation (nothing runs until it is read) over a table name or a query."""
        sql = f"SELECT * FROM {sql_or_table}" if sql_or_table.isidentifier() else sql_or_table
        return self._guarded(sql, lambda: self.con.sql(sql))

    def execute(self, sql: str) -> None:
        self._guarded(sql, lambda: self.con.execute(sql))

    @contextlib.contextmanager
    def join_sides_as_written(self):
        # DuckDB swaps a join's sides when it estimates the left one smaller; on forward links
        # beside a larger table of citing families it estimated 11M links for 82M, built its
        # hash table on them and spilled (docs/performance-notes.md)
        self.con.execute("SET disabled_optimizers = 'build_side_probe_side'")
        try:
            yield self
        finally:
            self.con.execute("RESET disabled_optimizers")

    def _create_view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def _materialize(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def register_arrow(self, name: str, table: pa.Table) -> None:
        self.con.register(name, table)

    def _write_parquet(self, sql: str, folder) -> list:
        target = Path(folder) / "part-00000.parquet"
        self.con.execute(f"COPY ({sql}) TO {q.literal(str(target))} ({DERIVED_COPY_OPTIONS}, ROW_GROUP_SIZE 122880)")
        return [target]

    def write_buckets(self, sql: str, bucket: str, folder, name: str) -> None:
        """Write the rows of ``sql`` into ``folder/_bucket=i/`` by the expression ``bucket``
        (0..n-1), in files named ``name_*`` beside those already there (parts.buckets)."""
        self.execute(f"COPY (SELECT *, CAST({bucket} AS INTEGER) AS _bucket FROM ({sql}) s) TO {q.literal(str(folder))} "
                     f"({DERIVED_COPY_OPTIONS}, PARTITION_BY (_bucket), OVERWRITE_OR_IGNORE, FILENAME_PATTERN '{name}_{{i}}')")

    @staticmethod
    def bucket_source(files: list[Path]) -> str:
        """The rows of one bucket's files, without the ``_bucket`` folder as a column."""
        return "(SELECT * FROM read_parquet([" + ", ".join(q.literal(str(f)) for f in files) + "], hive_partitioning = false))"

    def about_the_query(self, exc: BaseException) -> bool:
        return isinstance(exc, (duckdb.BinderException, duckdb.ParserException, duckdb.CatalogException))

    def limits(self) -> dict:
        threads = self.threads or (self.con.execute("SELECT current_setting('threads')").fetchone() or [None])[0]
        free = free_space(self.temp_directory)
        return {"memory limit": self.memory_limit, "threads": threads,
                "spill folder": f"{self.temp_directory} ({human_bytes(free)} free)"}

    def classify(self, exc: BaseException) -> str | None:
        text = str(exc).lower()
        if isinstance(exc, duckdb.OutOfMemoryException) or "out of memory" in text or "failed to pin block" in text:
            return "memory"
        if "no space left" in text or "max_temp_directory_size" in text or "disk full" in text:
            return "disk"
        if isinstance(exc, duckdb.InterruptException):
            return "interrupted"
        if self.lake is not None and str(self.lake.path).lower() in text and (
                "parquet" in text or "magic bytes" in text or "no such file" in text):
            return "damaged"
        return None
