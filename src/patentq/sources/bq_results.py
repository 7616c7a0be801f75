"""Reading a BigQuery query result as exported: newline-delimited JSON (gzipped or not), Parquet or CSV.

The context adapters (``google_citing``, ``google_baselines``) read the results of the queries
``patentq export-query google`` prints. Each declares the columns it needs with their JSON
structure; this module loads a result file into one temp table with a ``line_no`` column and
quarantines what cannot be read. JSON is read line by line for the same reason as in
``google.py`` (DuckDB's ``ignore_errors`` drops a bad line without saying which): the file is
read as one text column per line, ``try(from_json(...))`` parses it, and the lines that did not
parse are looked at once more to say why.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BadInputError
from .base import Sink, require_readable

SUFFIXES = (".json", ".jsonl", ".ndjson", ".gz", ".parquet", ".csv")


def _quote(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def load_result(path: Path, sink: Sink, fields: dict[str, str], key: str, what: str, view: str) -> int:
    """Load ``path`` into temp table ``view`` (``line_no`` + ``fields``); return the rows kept.

    ``fields`` maps column → its JSON structure (``'"VARCHAR"'``, ``'["VARCHAR"]'``); a row
    without ``key`` is quarantined. Columns absent from a Parquet or CSV file become NULLs.
    """
    head = require_readable(path, what, binary_ok=True)
    con = sink.con
    con.execute(f"SET temp_directory = {_quote(sink.staging / 'duckdb-tmp')}")
    if head.startswith(b"PAR1"):
        _columns(con, path, sink, fields, key, what, view, f"read_parquet({_quote(path)})")
    elif path.name.lower().endswith((".csv", ".csv.gz")):
        if any(s.startswith("[") for s in fields.values() if s != '"VARCHAR"'):
            raise BadInputError(f"{path}: a CSV file cannot hold this result's list columns",
                                hint="export the query result as newline-delimited JSON or Parquet")
        _columns(con, path, sink, fields, key, what, view,
                 f"read_csv({_quote(path)}, all_varchar = true, header = true)")
    else:
        _json_lines(con, path, sink, fields, what, view)
    missing = con.execute(f"SELECT line_no FROM {view} WHERE coalesce(trim(CAST({key} AS VARCHAR)), '') = ''").fetchall()
    for (line,) in missing:
        sink.reject(int(line), f"no {key}")
    if missing:
        con.execute(f"DELETE FROM {view} WHERE coalesce(trim(CAST({key} AS VARCHAR)), '') = ''")
    kept = con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
    if not kept:
        raise BadInputError(f"{path}: no {what} rows found (none with {key})",
                            hint="export the result of the query `patentq export-query google` prints for it")
    return kept


def _columns(con, path, sink, fields, key, what, view, reader) -> None:
    try:
        present = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()}
    except Exception as exc:  # duckdb raises several error types for unreadable files
        raise BadInputError(f"{path}: cannot read: {str(exc).splitlines()[0]}",
                            hint="export the query result again") from exc
    if key not in present:
        raise BadInputError(f"{path}: no {key} column, so not a {what}",
                            hint="export the result of the query `patentq export-query google` prints for it")
    cols = []
    for name, structure in fields.items():
        sql_type = con.execute(f"SELECT typeof(from_json('null', {_quote(structure)}))").fetchone()[0]
        cols.append(f"CAST({name} AS {sql_type}) AS {name}" if name in present else f"CAST(NULL AS {sql_type}) AS {name}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {view} AS SELECT row_number() OVER () AS line_no, {', '.join(cols)} "
                f"FROM {reader}")
    sink.rows_read += con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]


def _json_lines(con, path, sink, fields, what, view) -> None:
    structure = "{" + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + "}"
    reader = (f"read_csv({_quote(path)}, columns = {{'line': 'VARCHAR'}}, delim = chr(0), header = false, "
              "quote = '', escape = '', auto_detect = false, max_line_size = 268435456)")
    try:
        # with preserve_insertion_order the temp table's rowid is the line number minus one
        con.execute(f"CREATE OR REPLACE TEMP TABLE {view}_text AS SELECT line FROM {reader}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE {view}_lines AS SELECT rowid + 1 AS line_no, line FROM {view}_text")
    except Exception as exc:
        raise BadInputError(f"{path}: cannot read as newline-delimited JSON: {str(exc).splitlines()[0]}",
                            hint="export the query result as newline-delimited JSON (.json, .json.gz) or Parquet") from exc
    parsed = ", ".join(f"r.{k} AS {k}" for k in fields)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {view} AS
        SELECT line_no, {parsed} FROM (
          SELECT line_no, try(from_json(line, {_quote(structure)})) AS r FROM {view}_lines
          WHERE line IS NOT NULL AND trim(line) <> '')
        WHERE r IS NOT NULL""")
    for line_no, line in con.execute(f"""SELECT l.line_no, l.line FROM {view}_lines l ANTI JOIN {view} v USING (line_no)
                                        WHERE l.line IS NOT NULL AND trim(l.line) <> '' ORDER BY 1""").fetchall():
        problem = "malformed JSON" if not con.execute("SELECT json_valid(?)", [line]).fetchone()[0] else "not a JSON object"
        sink.reject(int(line_no), problem, line)
    sink.rows_read += con.execute(f"SELECT count(*) FROM {view}_lines WHERE trim(coalesce(line, '')) <> ''").fetchone()[0]
    con.execute(f"DROP TABLE {view}_lines")
    con.execute(f"DROP TABLE {view}_text")
