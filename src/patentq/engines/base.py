"""The engine interface every stage uses.

Stage SQL is written once in the DuckDB dialect, kept to a portable subset (no DuckDB-only
table functions, no macros in stage SQL), and refers to lake tables by name.
"""

from __future__ import annotations

import abc

import pyarrow as pa


class Engine(abc.ABC):
    name: str

    def __init__(self, lake):
        self.lake = lake

    @abc.abstractmethod
    def query(self, sql: str) -> pa.Table:
        """Run a SELECT and return the result as Arrow (for small results only)."""

    @abc.abstractmethod
    def create_view(self, name: str, sql: str) -> None:
        """A temporary view visible to later queries of this engine."""

    @abc.abstractmethod
    def write_parquet(self, sql: str, folder) -> list:
        """Run ``sql`` and write its result as Parquet files into ``folder``; return the files."""

    def refresh(self) -> None:
        """Re-register the lake's tables after the lake changed."""

    def write_derived(self, name: str, sql: str, **meta) -> int:
        """Materialise ``sql`` as the derived table ``name`` in the lake, atomically.

        Returns the row count. ``meta`` (definition hash, parameters) goes into the manifest.
        """
        import pyarrow.parquet as pq

        with self.lake.transaction() as txn:
            folder = txn.staging / "derived" / name
            folder.mkdir(parents=True, exist_ok=True)
            files = self.write_parquet(sql, folder)
            rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
            txn.derived[name] = {"parts": [txn.relative(f) for f in files], "rows": rows, "engine": self.name, **meta}
        self.refresh()
        return rows
