"""Google Patents Public Data: exports of BigQuery ``patents-public-data.patents.publications``.

Reads newline-delimited JSON (``.json``/``.jsonl``/``.ndjson``, optionally gzipped) and Parquet
exports with the table's nested schema (field meanings: docs/sources.md). Everything is mapped
in DuckDB with ``unnest``; no record passes through Python.

Why JSON is read as lines first: DuckDB's ``read_json(ignore_errors=true)`` drops a malformed
line without saying which one. Reading the file as one text column per line (``read_csv`` with
a NUL delimiter and no quoting) keeps physical line numbers, so ``json_valid`` can pick out the
bad lines and quarantine them with their number, and ``from_json`` parses the rest.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from ..errors import BadInputError
from ..sql import literal as _quote
from .base import Sink, require_readable
from .limits import gunzipped

FORMAT = "google"
DESCRIPTION = "Google Patents Public Data (BigQuery publications) export: NDJSON (.gz) or Parquet"
#: File names this format reads when a folder is given (``ingest.expand_paths``).
SUFFIXES = (".json", ".jsonl", ".ndjson", ".gz", ".parquet")
#: What this format carries (patentq.capabilities.FIELDS); the lake profile measures what a file holds.
PROVIDES = {  # patents-public-data.patents.publications (a row per publication of the export)
    "publication_date": "yes", "priority_date": "yes", "filing_date": "yes", "grant_status": "yes",
    "grant_date": "yes", "family_id": "yes", "inventor_country": "yes", "applicant_country": "yes",
    "applicant_name": "yes", "cpc": "yes", "ipc": "yes", "title": "yes", "abstract": "yes", "claims": "yes",
    "citation_list": "yes", "npl_list": "yes", "family_members": "partial", "priority_numbers": "yes",
}
PARALLEL = True

_LOCALIZED = '[{"text": "VARCHAR", "language": "VARCHAR"}]'
_PARTY = '[{"name": "VARCHAR", "country_code": "VARCHAR"}]'
_CLASS = '[{"code": "VARCHAR", "inventive": "BOOLEAN", "first": "BOOLEAN"}]'
#: The columns patentq reads, with the JSON structure ``from_json`` extracts. Dates stay text:
#: BigQuery writes INT64 as JSON strings on export, Parquet keeps them as integers.
FIELDS = {
    "publication_number": '"VARCHAR"',
    "application_number": '"VARCHAR"',
    "country_code": '"VARCHAR"',
    "kind_code": '"VARCHAR"',
    "family_id": '"VARCHAR"',
    "title_localized": _LOCALIZED,
    "abstract_localized": _LOCALIZED,
    "claims_localized": _LOCALIZED,
    "publication_date": '"VARCHAR"',
    "filing_date": '"VARCHAR"',
    "grant_date": '"VARCHAR"',
    "priority_date": '"VARCHAR"',
    "priority_claim": '[{"publication_number": "VARCHAR", "application_number": "VARCHAR", "filing_date": "VARCHAR"}]',
    "inventor_harmonized": _PARTY,
    "assignee_harmonized": _PARTY,
    "cpc": _CLASS,
    "ipc": _CLASS,
    "citation": '[{"publication_number": "VARCHAR", "npl_text": "VARCHAR", "category": "VARCHAR", "type": "VARCHAR"}]',
}
STRUCTURE = "{" + ", ".join(f'"{k}": {v}' for k, v in FIELDS.items()) + "}"

#: Citation source codes (BigQuery ``citation.category``) → canonical ``origin``. The codes are
#: DOCDB citation origins, the same as PATSTAT ``citn_origin`` (docs/sources.md).
ORIGINS = {
    "SEA": "search report", "ISR": "international search report", "SUP": "supplementary search report",
    "APP": "applicant", "EXA": "examiner", "OPP": "opposition", "TPO": "third party",
    "CH2": "international preliminary examination", "PRS": "pre-grant pre-search",
}

MACROS = r"""
CREATE OR REPLACE MACRO gq_pick(l) AS coalesce(list_filter(l, lambda x: lower(x.language) = 'en')[1], l[1]);
CREATE OR REPLACE MACRO gq_claims(t) AS
  CASE WHEN t IS NULL OR trim(t) = '' THEN NULL
       ELSE greatest(len(regexp_extract_all(t, '(?m)^\s*\d{1,3}\s*[.)]\s')), 1) END;
"""


def _origin_sql(code: str) -> str:
    cases = " ".join(f"WHEN {_quote(k)} THEN {_quote(v)}" for k, v in ORIGINS.items())
    return f"CASE upper(trim({code})) {cases} ELSE nullif(lower(trim({code})), '') END"


def ingest(path: Path, sink: Sink) -> None:
    head = require_readable(path, "BigQuery publications export", binary_ok=True)
    con = sink.con
    con.execute(f"SET temp_directory = {_quote(sink.staging / 'duckdb-tmp')}")
    for statement in MACROS.split(";"):
        if statement.strip():
            con.execute(statement)
    if head.startswith(b"PAR1"):
        _load_parquet(path, sink)
    else:  # a .gz is expanded into staging within the limits (sources/limits.py), then read plain
        with tempfile.TemporaryDirectory(dir=sink.staging) as tmp:
            plain = gunzipped(path, Path(tmp), sink.limits, "download the export again")
            if plain != path:
                head = plain.open("rb").read(65536)
                if not head.strip():
                    raise BadInputError(f"{path} is empty once decompressed", hint="export the query result again")
            if b"\x00" in head:
                raise BadInputError(f"{path} is a binary file, not a BigQuery JSON or Parquet export",
                                    hint="export the query result as newline-delimited JSON or Parquet")
            _load_json_lines(plain, sink)
    _write_tables(path, sink)


def _load_json_lines(path: Path, sink: Sink) -> None:
    """Parse NDJSON into temp table ``gq_rec``; quarantine malformed lines with their line number.

    One JSON parse per line: ``try(from_json(...))`` gives NULL for a line that is not a JSON
    object; only those few lines are looked at again to say what is wrong with them. With
    ``preserve_insertion_order`` the text table's ``rowid`` is the line number minus one.
    """
    con = sink.con
    reader = (f"read_csv({_quote(path)}, columns = {{'line': 'VARCHAR'}}, delim = chr(0), header = false, "
              "quote = '', escape = '', auto_detect = false, max_line_size = 268435456, "
              "store_rejects = true, rejects_table = 'gq_rejects', rejects_scan = 'gq_scan')")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE gq_lines AS SELECT line FROM {reader}")
    except Exception as exc:  # duckdb raises several error types for unreadable input
        raise BadInputError(f"{sink.path}: cannot read as newline-delimited JSON: {str(exc).splitlines()[0]}",
                            hint="pass the BigQuery export as .json/.jsonl (one record per line), .json.gz or .parquet") from exc
    fields = ", ".join(f"r.{k} AS {k}" for k in FIELDS)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE gq_rec AS
        SELECT fq_pn(r.publication_number) AS pn, line_no, {fields}
        FROM (SELECT rowid + 1 AS line_no, try(from_json(line, {_quote(STRUCTURE)})) AS r FROM gq_lines
              WHERE line IS NOT NULL AND trim(line) <> '')""")
    for line, error_type, message, raw in con.execute(
        "SELECT line, min(error_type), min(error_message), min(csv_line) FROM gq_rejects GROUP BY line ORDER BY line"
    ).fetchall():
        sink.reject(int(line), f"unreadable line: {error_type}: {message.splitlines()[0]}", raw)
    bad = con.execute("""
        SELECT b.line_no, CASE WHEN NOT json_valid(l.line) THEN 'malformed JSON'
                               WHEN NOT starts_with(ltrim(l.line), '{') THEN 'not a JSON object'
                               ELSE 'no publication_number' END, l.line
        FROM (SELECT line_no FROM gq_rec WHERE pn IS NULL) b JOIN gq_lines l ON l.rowid = b.line_no - 1
        ORDER BY b.line_no""").fetchall()
    for line_no, problem, line in bad:
        sink.reject(int(line_no), problem, line)
    con.execute("DROP TABLE gq_lines")
    lines = con.execute("SELECT count(*) FROM gq_rec").fetchone()[0]
    sink.rows_read += lines + con.execute("SELECT count(DISTINCT line) FROM gq_rejects").fetchone()[0]
    if lines == len(bad):
        raise BadInputError(f"{sink.path}: no BigQuery publication records found ({lines} non-blank line(s), none a JSON "
                            "object with publication_number)",
                            hint="export `patentq export-query google` results as newline-delimited JSON or Parquet")
    if bad:
        con.execute("DELETE FROM gq_rec WHERE pn IS NULL")


def _load_parquet(path: Path, sink: Sink) -> None:
    """Load a Parquet export into temp table ``gq_rec``; columns the export left out become typed NULLs."""
    con = sink.con
    try:
        present = {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM read_parquet({_quote(path)})").fetchall()}
    except Exception as exc:
        raise BadInputError(f"{path}: corrupt or truncated Parquet file: {str(exc).splitlines()[0]}",
                            hint="export the query result again") from exc
    if "publication_number" not in present:
        raise BadInputError(f"{path}: a Parquet file without a publication_number column is not a BigQuery "
                            "publications export", hint="use the query from `patentq export-query google`")
    wrong = [f"{n} ({t})" for n, t in present.items() if FIELDS.get(n, '"VARCHAR"') != '"VARCHAR"'
             and not (t.startswith("STRUCT(") and t.endswith("[]"))]  # BigQuery's repeated records
    if wrong:
        raise BadInputError(f"{path}: columns of other types than in BigQuery's publications table: {', '.join(wrong)}",
                            hint="export the table's columns as they are (`patentq export-query google`)")
    cols = []
    for name, structure in FIELDS.items():
        if name in present:
            cols.append(f"{name}" if structure != '"VARCHAR"' else f"CAST({name} AS VARCHAR) AS {name}")
        else:
            sql_type = con.execute(f"SELECT typeof(from_json('null', {_quote(structure)}))").fetchone()[0]
            cols.append(f"CAST(NULL AS {sql_type}) AS {name}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW gq AS SELECT row_number() OVER () AS line_no, {', '.join(cols)} "
                f"FROM read_parquet({_quote(path)})")
    try:  # the one full read: a damaged page or a value that does not convert shows here
        con.execute("CREATE OR REPLACE TEMP TABLE gq_rec AS SELECT fq_pn(publication_number) AS pn, * FROM gq")
    except duckdb.Error as exc:
        raise BadInputError(f"{path}: damaged Parquet data or values of unexpected types: {str(exc).splitlines()[0]}",
                            hint="export the query result again") from exc
    unnumbered = "coalesce(trim(publication_number), '') = ''"
    for (row,) in con.execute(f"SELECT line_no FROM gq_rec WHERE {unnumbered} ORDER BY line_no").fetchall():
        sink.reject(f"row {row}", "no publication_number")
    sink.rows_read += con.execute("SELECT count(*) FROM gq_rec").fetchone()[0]
    con.execute(f"DELETE FROM gq_rec WHERE {unnumbered}")


def _write_tables(path: Path, sink: Sink) -> None:
    """Map ``gq_rec`` to the canonical tables (``fq_*``: fast paths for already canonical values)."""
    src, pn = "gq_rec", "pn"
    sink.copy_sql("publications", {
        "publication_number": pn,
        "publication_number_raw": "publication_number",
        "country_code": "coalesce(nullif(upper(trim(country_code)), ''), split_part(" + pn + ", '-', 1))",
        "kind_code": "coalesce(nullif(upper(trim(kind_code)), ''), nullif(split_part(" + pn + ", '-', 3), ''))",
        "application_number": "nullif(trim(application_number), '')",
        # '-1' is how the table marks a publication without a DOCDB family
        "family_id": ("CASE WHEN coalesce(trim(family_id), '') NOT IN ('', '-1', '0') THEN trim(family_id) "
                      "ELSE '~google:' || coalesce(nullif(trim(application_number), ''), " + pn + ") END"),
        "publication_date": "pq_date(publication_date)",
        "filing_date": "pq_date(filing_date)",
        "priority_date": "pq_date(priority_date)",
        "priority_year": "year(pq_date(priority_date))",
        "grant_date": "pq_date(grant_date)",
        "is_grant": "pq_date(grant_date) IS NOT NULL",
        "title": "t.text",
        "abstract": "gq_pick(abstract_localized).text",
        "claims_text": "claims",
        "claims_count": "gq_claims(claims)",
        "language": "lower(t.language)",
        "source": "'google'",
        "source_ref": f"{_quote(path.name + ':')} || line_no",
    }, f"(SELECT *, gq_pick(title_localized) AS t, gq_pick(claims_localized).text AS claims FROM {src})")
    _write_texts(sink, src)
    parties = f"""(
        SELECT pn, 'inventor' AS role, generate_subscripts(inventor_harmonized, 1) AS seq,
               unnest(inventor_harmonized) AS p, line_no FROM {src}
        UNION ALL
        SELECT pn, 'applicant', generate_subscripts(assignee_harmonized, 1), unnest(assignee_harmonized), line_no
        FROM {src}) WHERE coalesce(trim(p.name), '') <> '' ORDER BY line_no, role DESC, seq"""
    sink.copy_sql("parties", {"publication_number": "pn", "role": "role", "seq": "seq", "name": "trim(p.name)",
                              "country_code": "pq_country(p.country_code)"}, parties)
    classes = f"""(
        SELECT pn, scheme, code, bool_or(c.first) AS is_first, bool_or(c.inventive) AS is_inventive,
               min(line_no) AS line_no, min(ord) AS ord
        FROM (SELECT pn, scheme, c, fq_code(c.code) AS code, line_no, ord FROM (
                SELECT line_no, pn, 'cpc' AS scheme, unnest(cpc) AS c, generate_subscripts(cpc, 1) AS ord FROM {src}
                UNION ALL
                SELECT line_no, pn, 'ipc', unnest(ipc), generate_subscripts(ipc, 1) FROM {src}))
        WHERE code IS NOT NULL GROUP BY pn, scheme, code) ORDER BY line_no, scheme, ord"""
    sink.copy_sql("classifications", {"publication_number": "pn", "scheme": "scheme", "code": "code",
                                      "is_first": "is_first", "is_inventive": "is_inventive"}, classes)
    citations = f"""(SELECT pn, fq_pn(c.publication_number) AS cited, nullif(trim(c.npl_text), '') AS npl,
                            c.type AS relevance, c.category AS source
                     FROM (SELECT pn, unnest(citation) AS c FROM {src}))
        WHERE cited IS NOT NULL OR npl IS NOT NULL"""
    sink.copy_sql("citations", {
        "citing_publication_number": "pn",
        "cited_publication_number": "cited",
        "npl_text": "npl",
        # BigQuery: ``type`` holds the search-report relevance (X, Y, A, ...), ``category`` who cited it
        "category": "nullif(upper(trim(relevance)), '')",
        "origin": _origin_sql("source"),
    }, citations)
    priorities = f"""(
        SELECT pn, unnest(priority_claim) AS c, generate_subscripts(priority_claim, 1) AS ord, line_no FROM {src})
        WHERE coalesce(trim(c.application_number), trim(c.publication_number), '') <> '' ORDER BY line_no, ord"""
    number = "coalesce(nullif(trim(c.application_number), ''), trim(c.publication_number))"
    sink.copy_sql("priorities", {
        "publication_number": "pn",
        "priority_number": number,
        "priority_country": f"CASE WHEN regexp_matches({number}, '^[A-Z]{{2}}') THEN substr({number}, 1, 2) END",
        "priority_date": "pq_date(c.filing_date)",
    }, priorities)


def _write_texts(sink: Sink, src: str) -> None:
    """Every language version of titles and abstracts (``*_localized``) into ``texts``, and the
    claims in the languages other than the one kept in ``publications.claims_text``. Google
    gives no machine-translation flag (its ``truncated`` is something else), so it stays NULL."""
    texts = f"""(
        SELECT pn, 'title' AS field, unnest(title_localized) AS t, line_no FROM {src}
        UNION ALL SELECT pn, 'abstract', unnest(abstract_localized), line_no FROM {src}
        UNION ALL SELECT pn, 'claims', unnest(list_filter(claims_localized,
            lambda x: lower(x.language) IS DISTINCT FROM lower(gq_pick(claims_localized).language))), line_no FROM {src})
        WHERE coalesce(trim(t.text), '') <> '' ORDER BY line_no"""
    sink.copy_sql("texts", {"publication_number": "pn", "field": "field", "language": "nullif(lower(trim(t.language)), '')",
                            "text": "t.text", "source": "'google'"}, texts)
