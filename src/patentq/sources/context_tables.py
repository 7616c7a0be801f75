"""Whole bulk tables read only for what cites the extract: a streamed, filtered CSV read.

PATSTAT's ``tls212_citation`` (hundreds of millions of rows) or PatentsView's
``g_us_patent_citation`` are given whole so that forward citations count the whole world. They
are never loaded as they are: each file is scanned once by DuckDB's CSV reader with the filter
in the same query (a semi-join on the extract's keys), so only the rows that cite the extract,
and then the rows describing those citing documents, are kept. Malformed rows are quarantined
with file and line, as ``csvtools.load_csv`` does for the extract's own tables.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import BadInputError
from .base import Sink
from .csvtools import unzipped

#: The folder beside an extract's tables that holds the whole tables (docs/sources.md).
CONTEXT_FOLDER = "context"


def _quote(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def stream(sink: Sink, files: list[Path], view: str, columns: list[str], where: str = "TRUE",
           delim: str = ",", suffixes: tuple[str, ...] = (".csv", ".txt", ".tsv")) -> int:
    """``CREATE TEMP TABLE view AS SELECT columns FROM <every file> WHERE where``; rows kept.

    ``where`` refers to the file's columns as ``t.<name>`` (all read as text); ``columns`` must
    exist in every file. Zipped files are extracted one at a time to the sink's staging folder.
    """
    con = sink.con
    cols = ", ".join(f"t.{c}" for c in columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {view} ({', '.join(f'{c} VARCHAR' for c in columns)})")
    for path in files:
        with tempfile.TemporaryDirectory(dir=sink.staging) as tmp:
            for part in unzipped(path, Path(tmp), suffixes, "CSV", f"download {path.name} again"):
                options = (f"delim = {_quote(delim)}, header = true, all_varchar = true, quote = '\"', escape = '\"', "
                           f"store_rejects = true, rejects_table = '{view}_rejects', rejects_scan = '{view}_scan', "
                           "parallel = true")
                reader = f"read_csv({_quote(part)}, {options})"
                try:
                    present = {r[0].lower() for r in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()}
                    missing = [c for c in columns if c.lower() not in present]
                    if missing:
                        raise BadInputError(f"{path}: missing columns {missing}",
                                            hint="give the whole table with its published column names as the header")
                    con.execute(f"INSERT INTO {view} SELECT {cols} FROM {reader} t WHERE {where}")
                except BadInputError:
                    raise
                except Exception as exc:  # duckdb raises several error types for unreadable CSV
                    raise BadInputError(f"{path}: cannot read as CSV: {str(exc).splitlines()[0]}",
                                        hint="check that the file is a complete CSV export") from exc
                for line, error_type, message in con.execute(
                        f"SELECT line, min(error_type), min(error_message) FROM {view}_rejects GROUP BY line "
                        "ORDER BY line").fetchall():
                    sink.reject(f"{path.name}:{line}", f"{error_type}: {message.splitlines()[0]}")
                con.execute(f"DELETE FROM {view}_rejects")
    return con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]


def context_files(folder: Path, prefix: str, suffixes: tuple[str, ...] = (".csv", ".zip", ".txt")) -> list[Path]:
    """Files of one whole table in the ``context/`` folder, by name prefix (``tls212_``, ``g_patent.``)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower().startswith(prefix)
                  and p.name.lower().endswith(suffixes))
