"""CSV reading in DuckDB with malformed rows quarantined (file, line, reason).

Used by the CSV adapters (Lens, CSET, PatentsView, PATSTAT, Epoch): DuckDB's parallel CSV
reader does the parsing; rows it cannot parse are collected via ``store_rejects`` and handed to
``sink.reject`` with their line numbers.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BadInputError
from .base import Sink


def _quote(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


class NotUtf8Error(BadInputError):
    """Raised by ``load_csv(strict_encoding=True)`` when DuckDB finds bytes that are not UTF-8,
    so the adapter can transcode the file and read it again instead of quarantining rows."""


class SpanningRejectError(BadInputError):
    """Raised by ``load_csv(single_line_records=True)`` when a rejected record runs over several
    lines (an unterminated quote swallowed the rows after it), so the adapter can fall back to
    checking the file line by line instead of losing those rows."""


def load_csv(sink: Sink, path: Path, view: str, *, delim: str = ",", header: bool = True,
             columns: dict[str, str] | None = None, extra: str = "", strict_encoding: bool = False,
             computed: dict[str, str] | None = None, single_line_records: bool = False,
             keep: list[str] | None = None) -> int:
    """Load ``path`` as text columns into temp table ``view``; quarantine bad rows; return rows read.

    ``computed`` adds columns (name → SQL expression over the CSV's columns) in the same pass,
    so an expensive normalisation used by several output tables runs once.

    All columns are read as VARCHAR so the adapter controls conversion (and a stray value in a
    number column is the adapter's decision to reject, not the reader's).
    """
    con = sink.con
    cols = ""
    if columns:
        cols = ", columns = {" + ", ".join(f"{_quote(k)}: {_quote(v)}" for k, v in columns.items()) + "}"
    options = (
        f"delim = {_quote(delim)}, header = {str(header).lower()}, all_varchar = true, quote = '\"', escape = '\"', "
        f"store_rejects = true, rejects_table = '{view}_rejects', rejects_scan = '{view}_scan', "
        f"strict_mode = true, null_padding = false, parallel = true{cols}{extra}"
    )
    try:
        extra_cols = "".join(f", {expr} AS {name}" for name, expr in (computed or {}).items())
        kept = ", ".join('"' + c.replace('"', '""') + '"' for c in keep) if keep else "*"  # only what the adapter maps
        con.execute(f"CREATE OR REPLACE TEMP TABLE {view} AS SELECT {kept}{extra_cols} FROM read_csv({_quote(path)}, {options})")
    except Exception as exc:  # duckdb raises several error types for unreadable CSV
        raise BadInputError(f"{sink.path}: cannot read as CSV: {str(exc).splitlines()[0]}",
                            hint="check that the file is a complete, uncompressed CSV export") from exc
    if strict_encoding and con.execute(
        f"SELECT count(*) FROM {view}_rejects WHERE error_type = 'INVALID ENCODING'"
    ).fetchone()[0]:
        raise NotUtf8Error(f"{sink.path}: not UTF-8 encoded", hint="transcode the file to UTF-8")
    if single_line_records and con.execute(
        f"SELECT count(*) FROM {view}_rejects WHERE regexp_matches(trim(csv_line, chr(13) || chr(10)), '[\\r\\n]')"
    ).fetchone()[0]:
        raise SpanningRejectError(f"{sink.path}: an unterminated quote runs over several lines",
                                  hint="check the quoting of the rejected line")
    for line, error_type, message, raw in con.execute(
        f"SELECT line, min(error_type), min(error_message), min(csv_line) FROM {view}_rejects "
        "GROUP BY line ORDER BY line"  # DuckDB may log one line several times (once per bad cell)
    ).fetchall():
        sink.reject(int(line), f"{error_type}: {message.splitlines()[0]}", (raw or "").lstrip("\r\n"))
    bad_lines = con.execute(f"SELECT count(DISTINCT line) FROM {view}_rejects").fetchone()[0]
    rows = con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
    sink.rows_read += rows + bad_lines
    return rows


def header_of(head: bytes, encoding: str, delim: str = ",") -> list[str]:
    """The column names of a CSV from its first bytes (any line ending)."""
    text = head.decode(encoding, errors="replace")
    first = text.replace("\r\n", "\n").replace("\r", "\n").split("\n", 1)[0]
    import csv

    return [c.strip() for c in next(csv.reader([first], delimiter=delim))]


def unzipped(path: Path, workdir: Path, suffixes: tuple[str, ...], label: str, hint: str) -> list[Path]:
    """``[path]`` for a plain file; for a zip, its members ending in ``suffixes`` extracted into
    ``workdir`` (DuckDB reads no zip). A zip that is corrupt, truncated or holds no such member
    raises ``BadInputError``."""
    import shutil
    import zipfile

    with path.open("rb") as handle:
        looks_zipped = path.suffix.lower() == ".zip" or handle.read(4) == b"PK\x03\x04"
    if not looks_zipped and not zipfile.is_zipfile(path):
        return [path]
    out = []
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.lower().endswith(suffixes) and "__MACOSX" not in member:
                    target = workdir / f"{path.stem}-{Path(member).name}"
                    with archive.open(member) as src, open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 22)
                    out.append(target)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
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
