"""What every source adapter gets: a ``Sink`` for canonical rows, rejects and counts.

An adapter is a module with ``FORMAT`` (the CLI name), ``DESCRIPTION``, optionally
``PARALLEL = True`` (files may be ingested in separate processes) and::

    def ingest(path: Path, sink: Sink) -> None

It streams the file, maps records to canonical rows and hands them to the sink, either row
by row (``sink.add``), as Arrow (``sink.write_arrow``) or as a DuckDB query (``sink.copy_sql``,
fastest for CSV/JSON/Parquet). A malformed record goes to ``sink.reject`` with its line or byte
offset and the reason; the rest of the file is still ingested. A record kept after mending
(invalid bytes replaced) goes to ``sink.repair``, and one left out on purpose (a sequence
listing, an unpublished application) to ``sink.skip`` with the reason, so every record read is
accounted for: read = written + rejected + skipped (``bench/fuzz.py`` checks it). A file that
cannot be read at all raises ``BadInputError`` naming the file, which aborts the whole ingest.
Decompression and record sizes are bounded by ``sink.limits`` (``limits.py``).
"""

from __future__ import annotations

import errno
import json
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import BadInputError, ResourceError
from ..lake import PARQUET_COPY_OPTIONS
from ..normalize import install_sql_macros
from ..schema import CANONICAL, select_list
from ..sql import literal
from .limits import Limits

FLUSH_ROWS = 50_000


class Sink:
    """Collects one input file's canonical rows into staged Parquet parts."""

    def __init__(self, staging: Path, prefix: str, path: Path, fmt: str, limits: Limits | None = None):
        self.staging = Path(staging)
        self.staging.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix  # unique per input file within a transaction
        self.path = Path(path)
        self.format = fmt
        self.limits = limits or Limits()
        self.rows_read = 0
        self.written: Counter = Counter()
        self.reject_reasons: Counter = Counter()
        self.repair_reasons: Counter = Counter()
        self.skip_reasons: Counter = Counter()
        self.notes: list[str] = []
        #: The date the file's data ends, where the adapter knows it (e.g. a zip's own date).
        self.end_date = None
        self.parts: dict[str, list[str]] = {}
        self._buffers: dict[str, list[dict]] = {}
        self._quarantine = None
        self._con = None

    # --- output -------------------------------------------------------------------------
    def add(self, table: str, row: dict) -> None:
        buffer = self._buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= FLUSH_ROWS:
            self._flush(table)

    def add_many(self, table: str, rows) -> None:
        for row in rows:
            self.add(table, row)

    def write_arrow(self, table: str, data: pa.Table) -> None:
        schema = CANONICAL[table]
        columns = [data.column(f.name).cast(f.type) if f.name in data.column_names else pa.nulls(len(data), f.type)
                   for f in schema]
        self._write_part(table, pa.Table.from_arrays(columns, schema=schema))

    def copy_sql(self, table: str, exprs: dict[str, str], from_sql: str) -> int:
        """Write ``SELECT <exprs as canonical columns> FROM <from_sql>`` straight to Parquet."""
        target = self._next_part(table)
        sql = f"SELECT {select_list(table, exprs)}\nFROM {from_sql}"
        try:
            rows = self.con.execute(f"COPY ({sql}) TO {literal(str(target))} ({PARQUET_COPY_OPTIONS})").fetchone()[0]
        except duckdb.Error as exc:
            raise input_error(self.path, f"the {table} table", exc) from exc
        self._register(table, target, rows)
        return rows

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """A private DuckDB connection with the ``pq_*`` normaliser macros installed."""
        if self._con is None:
            self._con = duckdb.connect()
            self._con.execute("SET enable_progress_bar = false")  # the CLI shows its own progress
            self._con.execute("SET preserve_insertion_order = true")
            install_sql_macros(self._con)
        return self._con

    # --- bad records --------------------------------------------------------------------
    def reject(self, where, reason: str, raw: str | None = None) -> None:
        """Quarantine one record: ``where`` is a line number or ``byte N``; ``raw`` its text."""
        self._log({"file": str(self.path), "where": where, "reason": reason, "raw": (raw or "")[:2000]})
        self.reject_reasons[reason.split(":")[0]] += 1

    def repair(self, where, reason: str, raw: str | None = None) -> None:
        """Note a record that was kept after mending (e.g. invalid bytes replaced by U+FFFD): it is
        logged in the quarantine file with ``"repaired": true`` but counts as written, not rejected."""
        self._log({"file": str(self.path), "where": where, "reason": reason, "raw": (raw or "")[:2000],
                   "repaired": True})
        self.repair_reasons[reason.split(":")[0]] += 1

    def skip(self, reason: str, n: int = 1) -> None:
        """Count ``n`` records left out on purpose (not data this lake holds), with the reason."""
        if n:
            self.skip_reasons[reason] += n

    def _log(self, record: dict) -> None:
        if self._quarantine is None:
            folder = self.staging / "quarantine"
            folder.mkdir(parents=True, exist_ok=True)
            self._quarantine = open(folder / f"{self.prefix}.jsonl", "a", encoding="utf-8")
        self._quarantine.write(json.dumps(record, ensure_ascii=False) + "\n")

    @property
    def rejected(self) -> int:
        return sum(self.reject_reasons.values())

    @property
    def skipped(self) -> int:
        return sum(self.skip_reasons.values())

    def note(self, text: str) -> None:
        """Something the user should know about this file (e.g. the encoding it was read in)."""
        self.notes.append(text)

    # --- internals ----------------------------------------------------------------------
    def _next_part(self, table: str) -> Path:
        folder = self.staging / "data" / table
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{self.prefix}-{len(self.parts.get(table, [])):05d}.parquet"

    def _register(self, table: str, target: Path, rows: int) -> None:
        if rows == 0:
            target.unlink(missing_ok=True)
            return
        self.parts.setdefault(table, []).append(target.relative_to(self.staging).as_posix())
        self.written[table] += rows

    def _write_part(self, table: str, data: pa.Table) -> None:
        if data.num_rows == 0:
            return
        target = self._next_part(table)
        pq.write_table(data, target, compression="zstd")
        self._register(table, target, data.num_rows)

    def _flush(self, table: str) -> None:
        rows = self._buffers.pop(table, [])
        if rows:
            self._write_part(table, pa.Table.from_pylist(rows, schema=CANONICAL[table]))

    def close(self) -> None:
        for table in list(self._buffers):
            self._flush(table)
        if self._quarantine is not None:
            self._quarantine.close()
        if self._con is not None:
            self._con.close()
            self._con = None

    def manifest_entry(self, sha256: str, size: int) -> dict:
        return {
            "file": str(self.path),
            "format": self.format,
            "size": size,
            "sha256": sha256,
            "rows_read": self.rows_read,
            "rows_written": dict(self.written),
            "rejected": self.rejected,
            "reject_reasons": dict(self.reject_reasons),
            "repaired": sum(self.repair_reasons.values()),
            "skipped": dict(self.skip_reasons),
            "notes": self.notes,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "parts": self.parts,
            "quarantine": f"quarantine/{self.prefix}.jsonl" if self._quarantine is not None else None,
        }


# --- helpers adapters share ---------------------------------------------------------------

def input_error(path: Path, what: str, exc: Exception) -> Exception:
    """What a DuckDB error while mapping an input file means for the user: out of memory or
    disk (exit 3, the environment's), else values this format does not have or damaged data
    (exit 3, the file's). The adapters' SQL is tested on real exports, so an input that breaks
    it is far likelier than a bug; the hint says how to report it if the file is genuine."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, duckdb.OutOfMemoryException) or "out of memory" in first.lower():
        return ResourceError(f"out of memory while reading {path}: {first}",
                             hint="ingest fewer or smaller files at once (--workers 1); the lake is unchanged")
    if "no space left" in first.lower():
        return OSError(errno.ENOSPC, "No space left on device", str(path))
    return BadInputError(f"{path}: cannot map to {what}: {first}",
                         hint="the file holds values of other types than this format has, or damaged data; if it "
                              "is a genuine export, rerun with PATENTQ_DEBUG=1 and report it")


def require_readable(path: Path, what: str, binary_ok: bool = False) -> bytes:
    """Fail with ``BadInputError`` for a missing, empty or (for text formats) binary file.

    Returns the first 64 KiB so the adapter can sniff the layout.
    """
    if not path.exists():
        raise BadInputError(f"{path}: no such file", hint="check the path")
    if path.is_dir():
        raise BadInputError(f"{path} is a folder; this format takes files", hint=f"pass the {what} files inside it")
    head = path.open("rb").read(65536)
    if not head.strip():
        raise BadInputError(f"{path} is empty", hint=f"export the {what} again")
    if not binary_ok and b"\x00" in head:
        raise BadInputError(f"{path} is a binary file, not a {what}", hint="check that you passed the right file")
    return head


def require_document_size(path: Path, sink: "Sink", what: str) -> None:
    """A format read whole (one JSON or XML response) larger than ``--max-document-size`` is
    refused before it is read into memory: no such response is that large."""
    size = path.stat().st_size
    if size > sink.limits.max_document:
        raise BadInputError(f"{path}: {size:,} bytes, more than the {sink.limits.max_document:,} a {what} may have",
                            hint="raise --max-document-size if the file is genuine")


def text_encoding(head: bytes) -> str:
    """``utf-8`` (with or without BOM) if the sample decodes, else ``cp1252`` (Windows exports)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a multi-byte character cut at the sample's end
            return "utf-8"
        return "cp1252"
