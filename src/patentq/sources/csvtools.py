"""CSV reading in DuckDB with malformed rows quarantined (file, line, reason).

Used by the CSV adapters (Lens, CSET, PatentsView, PATSTAT, Epoch): DuckDB's parallel CSV
reader does the parsing; rows it cannot parse are collected via ``store_rejects`` and handed to
``sink.reject`` with their line numbers. When the reader refuses the file, drops its header or
rejects a record that runs over several lines (an unterminated quote swallowing the rows after
it), the file is read once more record by record (``csvclean.clean_copy``), which quarantines
only the broken records, and DuckDB reads the clean copy. When its only trouble is bytes that
are not UTF-8, a transcoded copy is read instead (each bad byte replaced in its cell).
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa

from ..errors import BadInputError
from ..sql import ident, literal
from .base import Sink
from .csvclean import clean_copy, sniff_encoding, split_record, transcode
from .limits import Limits, copy_limited


def load_csv(sink: Sink, path: Path, view: str, *, delim: str = ",", columns: dict[str, str] | None = None,
             extra: str = "", computed: dict[str, str] | None = None, single_line_records: bool = False,
             keep: list[str] | None = None) -> int:
    """Load ``path`` as text columns into temp table ``view``; quarantine bad rows; return rows read.

    ``computed`` adds columns (name → SQL expression over the CSV's columns) in the same pass,
    so an expensive normalisation used by several output tables runs once.
    ``single_line_records``: the format never breaks a record over lines (Lens, CSET), so an
    open quote ends with its line when the file has to be read record by record.

    All columns are read as VARCHAR so the adapter controls conversion (and a stray value in a
    number column is the adapter's decision to reject, not the reader's).
    """
    _check_complete(sink, path)
    con = sink.con
    with tempfile.TemporaryDirectory(dir=sink.staging) as tmp:
        source = path
        while True:
            try:
                _read(con, source, view, delim, columns, extra, computed, keep)
                trouble = con.execute(  # a rejected record over several lines: an open quote swallowed rows
                    f"SELECT count(*) FROM {view}_rejects "
                    "WHERE regexp_matches(trim(csv_line, chr(13) || chr(10)), '[\\r\\n]')").fetchone()[0]
                trouble = trouble or not _header_kept(con, source, view, delim, computed)  # DuckDB drops a
            except duckdb.Error:  # the reader gave up on the whole file      # header with a bad byte
                trouble = True
            if trouble:
                rows = _load_record_by_record(sink, path, view, delim, columns, computed, single_line_records, keep)
                _strip_names(con, view)
                return rows
            if source == path and _decoded(sink, path, view, Path(tmp) / "decoded.csv"):
                source = Path(tmp) / "decoded.csv"  # read again, every line where it was
                continue
            break
    _strip_names(con, view)
    for line, error_type, message, raw in con.execute(
        f"SELECT line, min(error_type), min(error_message), min(csv_line) FROM {view}_rejects "
        "GROUP BY line ORDER BY line"  # DuckDB may log one line several times (once per bad cell)
    ).fetchall():
        sink.reject(int(line), f"{error_type}: {message.splitlines()[0]}", (raw or "").lstrip("\r\n"))
    bad_lines = con.execute(f"SELECT count(DISTINCT line) FROM {view}_rejects").fetchone()[0]
    rows = con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
    sink.rows_read += rows + bad_lines
    return rows


def _decoded(sink: Sink, path: Path, view: str, target: Path) -> bool:
    """When DuckDB found bytes that are not UTF-8: ``target`` is ``path`` as UTF-8 (a Windows
    export read as cp1252, or each invalid byte replaced by U+FFFD in its cell, the row kept and
    logged with ``sink.repair``), and True. Cheaper than the record-by-record path, which it
    spares a file whose only trouble is its encoding."""
    bad = sink.con.execute(f"SELECT line, min(csv_line) FROM {view}_rejects WHERE error_type = 'INVALID ENCODING' "
                           "GROUP BY line ORDER BY line").fetchall()
    if not bad:
        return False
    encoding = sniff_encoding(path)
    transcode(path, target, encoding)
    if encoding == "cp1252":
        sink.note("not UTF-8: read as Windows-1252 (cp1252); check names with accents")
    else:
        for line, raw in bad:
            sink.repair(int(line), "INVALID ENCODING: bytes that are not UTF-8 replaced by U+FFFD", (raw or "").lstrip("\r\n"))
    return True


def _header_kept(con, path: Path, view: str, delim: str, computed) -> bool:
    """Whether the columns DuckDB loaded are named as in the file's first line."""
    with open(path, "rb") as handle:
        first = re.split(rb"\r\n|\r|\n", handle.read(1 << 20), maxsplit=1)[0]  # any line end (Lens 2015: CR)
    try:
        names = split_record(first.decode("utf-8", "replace").lstrip("\ufeff"), delim)
    except ValueError:
        return False
    loaded = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
    return set(loaded) - set(computed or {}) <= {n.strip() for n in names} | set(names)


def _strip_names(con, view: str) -> None:
    """Column names without surrounding white space, as ``header_of`` gives them to the adapters."""
    names = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
    for name in names:
        if name != name.strip() and name.strip() and name.strip() not in names:
            con.execute(f"ALTER TABLE {view} RENAME COLUMN {ident(name)} TO {ident(name.strip())}")


def _read(con, path: Path, view: str, delim: str, columns, extra: str, computed, keep, max_line=None) -> None:
    cols = ""
    if columns:
        cols = ", columns = {" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in columns.items()) + "}"
    options = (
        f"delim = {literal(delim)}, header = true, all_varchar = true, quote = '\"', escape = '\"', "
        f"store_rejects = true, rejects_table = '{view}_rejects', rejects_scan = '{view}_scan', "
        f"strict_mode = true, null_padding = false, skip = 0, parallel = true{cols}{extra}"
        + (f", max_line_size = {int(max_line)}" if max_line else "")
    )
    extra_cols = "".join(f", {expr} AS {name}" for name, expr in (computed or {}).items())
    kept = ", ".join('"' + c.replace('"', '""') + '"' for c in keep) if keep else "*"  # only what the adapter maps
    for table in (view, f"{view}_rejects", f"{view}_scan", f"{view}_line"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {view} AS SELECT {kept}{extra_cols} FROM read_csv({literal(str(path))}, {options})")


def _load_record_by_record(sink, path: Path, view: str, delim: str, columns, computed, single_line: bool, keep) -> int:
    """The fallback: a clean copy (``csvclean``), read by DuckDB with the same options; rejects
    keep the record numbers and rows the line numbers of the original file (``{view}_line``)."""
    con = sink.con
    with tempfile.TemporaryDirectory(dir=sink.staging) as tmp:
        clean = Path(tmp) / "clean.csv"
        starts, records = clean_copy(path, clean, sink, delim, single_line, sink.limits)
        with clean.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle, delimiter=delim), None)
        if not header:
            raise BadInputError(f"{sink.path}: no header line is left once its broken records are set aside",
                                hint="export the file again: its first line must name the columns")
        header = [name or f"column{i}" for i, name in enumerate(header)]  # an empty name, as DuckDB names it
        types = {name: (columns or {}).get(name, "VARCHAR") for name in header}
        if len(types) != len(header):
            raise BadInputError(f"{sink.path}: the header repeats a column name", hint="export the file again")
        try:
            _read(con, clean, view, delim, types, ", auto_detect = false", computed, keep,
                  max_line=sink.limits.max_record + (1 << 20))
        except duckdb.Error as exc:
            raise BadInputError(f"{sink.path}: cannot read as CSV: {str(exc).splitlines()[0]}",
                                hint="check that the file is a complete, uncompressed CSV export") from exc
    rejected = set()
    for line, error_type, message, raw in con.execute(
        f"SELECT line, min(error_type), min(error_message), min(csv_line) FROM {view}_rejects GROUP BY line ORDER BY line"
    ).fetchall():
        rejected.add(int(line) - 1)  # DuckDB counts records, the header being line 1
        sink.reject(starts[int(line) - 1][0], f"{error_type}: {message.splitlines()[0]}", (raw or "").lstrip("\r\n"))
    kept = [line for i, (_, line) in enumerate(starts) if i and i not in rejected]
    con.register(f"{view}_line_arrow", pa.table({"row": pa.array(range(len(kept)), pa.int64()),
                                                  "line": pa.array(kept, pa.int64())}))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {view}_line AS SELECT * FROM {view}_line_arrow")
    con.unregister(f"{view}_line_arrow")
    rows = con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
    sink.rows_read += records - 1  # every record but the header: written or quarantined
    return rows


def drop_duplicate_keys(sink: Sink, table: str, key: str, label: str) -> None:
    """Quarantine the rows of ``table`` whose ``key`` an earlier row already has (the first is
    kept). A bulk table joined by its key (PATSTAT ``tls201_appln`` by ``appln_id``) would else
    turn one publication into several."""
    con = sink.con
    dupes = f"SELECT rowid AS r FROM (SELECT rowid, row_number() OVER (PARTITION BY {key} ORDER BY rowid) AS k " \
            f"FROM {table} WHERE {key} IS NOT NULL) WHERE k > 1"
    for (value,) in con.execute(f"SELECT {key} FROM {table} WHERE rowid IN ({dupes}) ORDER BY rowid").fetchall():
        sink.reject(f"{label}:{key}={value}", f"DUPLICATE KEY: {key} {value} is already in the table (the first row is kept)")
    con.execute(f"DELETE FROM {table} WHERE rowid IN ({dupes})")


def line_sql(con, view: str, row: str | None = None) -> str:
    """SQL for the file line of each loaded row of ``view`` (``row``: its row number from 0,
    default ``view.rowid``).

    After a record-by-record read the lines are recorded (``{view}_line``); else they follow
    from the row number and the lines DuckDB rejected before it (a record is one line, as in
    the formats that ask for line numbers: Lens, CSET)."""
    row = row or f"{view}.rowid"
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [f"{view}_line"]).fetchone()[0]:
        return f"(SELECT l.line FROM {view}_line l WHERE l.row = {row})"
    skipped = f"SELECT DISTINCT line FROM {view}_rejects"
    if not con.execute(f"SELECT count(*) FROM ({skipped})").fetchone()[0]:
        return f"{row} + 2"
    return (f"{row} + 2 + (SELECT count(*) FROM (SELECT line, row_number() OVER (ORDER BY line) AS j "
            f"FROM ({skipped})) r WHERE r.line - r.j - 1 <= {row})")


def _check_complete(sink: Sink, path: Path) -> None:
    """A file that ends inside its first line is a truncated download, not an empty export."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
        rest = handle.read(1)
    if head.strip() and not rest and b"\n" not in head and b"\r" not in head:
        raise BadInputError(f"{sink.path}: the file ends inside its header line (a truncated download?)",
                            hint="download or export the file again")


def header_of(head: bytes, encoding: str, delim: str = ",") -> list[str]:
    """The column names of a CSV from its first bytes (any line ending)."""
    text = head.decode(encoding, errors="replace")
    first = text.replace("\r\n", "\n").replace("\r", "\n").split("\n", 1)[0]
    import csv

    return [c.strip() for c in next(csv.reader([first], delimiter=delim))]


def unzipped(path: Path, workdir: Path, suffixes: tuple[str, ...], label: str, hint: str,
             limits: Limits | None = None) -> list[Path]:
    """``[path]`` for a plain file; for a zip, its members ending in ``suffixes`` extracted into
    ``workdir`` (DuckDB reads no zip) within ``limits`` (``limits.py``: a bomb stops with
    ``BadInputError``). A zip that is corrupt, truncated or holds no such member raises
    ``BadInputError``."""
    import zipfile
    import zlib

    with path.open("rb") as handle:
        looks_zipped = path.suffix.lower() == ".zip" or handle.read(4) == b"PK\x03\x04"
    if not looks_zipped and not zipfile.is_zipfile(path):
        return [path]
    out, total = [], [0]
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.lower().endswith(suffixes) and "__MACOSX" not in member:
                    target = workdir / f"{path.stem}-{Path(member).name}"
                    with archive.open(member) as src:
                        copy_limited(src, target, path, path.stat().st_size, limits or Limits(), total)
                    out.append(target)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, ValueError) as exc:
        raise BadInputError(f"{path}: corrupt or truncated zip ({exc})", hint=hint) from exc
    if not out:
        raise BadInputError(f"{path}: the zip holds no {label} file", hint=hint)
    return out


def zip_date(path: Path):
    """The latest modification date of the members of a zip (when the file was made: an upper
    bound of the data's end), or None for a plain file or an unreadable zip."""
    import datetime as dt
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            stamps = [dt.date(*m.date_time[:3]) for m in archive.infolist() if "__MACOSX" not in m.filename]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return max(stamps) if stamps else None
