"""DuckDB: the embedded default engine. Spills to disk beyond ``memory_limit``."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from ..lake import PARQUET_COPY_OPTIONS
from ..normalize import install_sql_macros
from ..schema import CANONICAL, duckdb_type
from .base import Engine


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def empty_select(schema: pa.Schema) -> str:
    cols = ", ".join(f"CAST(NULL AS {duckdb_type(f.type)}) AS {f.name}" for f in schema)
    return f"SELECT {cols} WHERE false"


def parquet_source(files: list[Path]) -> str:
    return "read_parquet([" + ", ".join(_quote(f) for f in files) + "], union_by_name = true)"


def _spill_folder(lake, temp_directory) -> Path:
    """Where DuckDB spills beyond its memory limit: beside the lake (same disk, room to grow),
    or the system temp folder when the lake is read-only."""
    import os
    import tempfile

    if temp_directory:
        return Path(temp_directory)
    if os.access(lake.path, os.W_OK):
        return lake.path / ".tmp"  # DuckDB creates it only when it actually spills
    return Path(tempfile.gettempdir()) / "patentq-spill"


def default_memory_limit() -> str:
    """``$PATENTQ_MEMORY_LIMIT``, else a quarter of physical memory (6 GB on a 24 GB machine).

    DuckDB's own default is 80% of RAM; a quarter keeps the whole process comfortably below
    the memory a laptop can spare, and DuckDB spills to disk beyond it instead of growing.
    """
    import os

    if os.environ.get("PATENTQ_MEMORY_LIMIT"):
        return os.environ["PATENTQ_MEMORY_LIMIT"]
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return "4GB"
    return f"{max(1, total // 4 // 2**20)}MB"


class DuckDBEngine(Engine):
    name = "duckdb"

    def __init__(self, lake, con=None, memory_limit: str | None = None, threads: int | None = None, temp_directory=None):
        super().__init__(lake)
        self.con = con or duckdb.connect()
        self.con.execute(f"SET memory_limit = '{memory_limit or default_memory_limit()}'")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if temp_directory or lake is not None:
            self.con.execute(f"SET temp_directory = {_quote(_spill_folder(lake, temp_directory))}")
        self.con.execute("SET preserve_insertion_order = false")
        install_sql_macros(self.con)
        self.refresh()

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
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS {source}")

    def query(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def create_view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def write_parquet(self, sql: str, folder) -> list:
        target = Path(folder) / "part-00000.parquet"
        self.con.execute(f"COPY ({sql}) TO {_quote(target)} ({PARQUET_COPY_OPTIONS}, ROW_GROUP_SIZE 122880)")
        return [target]
