"""PATSTAT Global CSV tables (``tls2xx_*.csv``, zipped or not, possibly split in parts), one folder.

One ``publications`` row per ``tls211_pat_publn`` publication; application-level facts
(``tls201_appln``: DOCDB and INPADOC family, filing and earliest filing dates, ``granted``),
titles, abstracts, persons and classifications are attached to every publication of the
application. Column meanings: the PATSTAT Global Data Catalog (docs/sources.md).

PATSTAT conventions handled here: ``9999-12-31`` is an unknown date; ``publn_claims = 0`` means
the claim count is unknown; a ``tls211`` row with an empty ``publn_nr`` is a placeholder for an
unpublished application (skipped, counted in a note); a person may be applicant and inventor
(``applt_seq_nr`` and ``invt_seq_nr`` both > 0) and then yields one row per role.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import BadInputError
from .base import Sink
from .csvtools import drop_duplicate_keys, load_csv, unzipped
from .google import ORIGINS
from .context_tables import CONTEXT_FOLDER
from .patentsview import _TableSink
from .patstat_context import ingest_context

FORMAT = "patstat"
DESCRIPTION = "PATSTAT Global CSV tables folder (tls201, tls202, ... tls224; zipped or not)"
#: A folder is one input: the tables of one extract.
TAKES_FOLDERS = True
#: What this format carries (patentq.capabilities.FIELDS); the lake profile measures what a file holds.
PROVIDES = {  # PATSTAT Global tables (what the extract holds)
    "publication_date": "yes", "priority_date": "yes", "filing_date": "yes", "grant_status": "yes",
    "grant_date": "yes", "family_id": "yes", "inventor_country": "yes", "applicant_country": "yes",
    "applicant_name": "yes", "cpc": "yes", "ipc": "yes", "title": "yes", "abstract": "yes", "claims": "yes",
    "citation_list": "yes", "npl_list": "yes", "family_members": "yes",
    "context_citing": "yes",  # with the whole tls212 / tls228 in context/ (patstat_context.py)
}

TABLES = {  # table → columns the mapping needs (PATSTAT Global Data Catalog)
    "tls201_appln": ["appln_id", "appln_auth", "appln_nr", "appln_kind", "appln_filing_date", "earliest_filing_date",
                     "granted", "docdb_family_id", "inpadoc_family_id"],
    "tls211_pat_publn": ["pat_publn_id", "publn_auth", "publn_nr", "publn_kind", "appln_id", "publn_date",
                         "publn_first_grant", "publn_claims"],
    "tls202_appln_title": ["appln_id", "appln_title_lg", "appln_title"],
    "tls203_appln_abstr": ["appln_id", "appln_abstract_lg", "appln_abstract"],
    "tls206_person": ["person_id", "person_name", "person_ctry_code"],
    "tls207_pers_appln": ["person_id", "appln_id", "applt_seq_nr", "invt_seq_nr"],
    "tls209_appln_ipc": ["appln_id", "ipc_class_symbol"],
    "tls212_citation": ["pat_publn_id", "citn_id", "citn_origin", "cited_pat_publn_id", "cited_appln_id",
                        "cited_npl_publn_id"],
    "tls214_npl_publn": ["npl_publn_id", "npl_biblio"],
    "tls215_citn_categ": ["pat_publn_id", "citn_id", "citn_categ"],
    "tls224_appln_cpc": ["appln_id", "cpc_class_symbol"],
}
REQUIRED = ("tls201_appln", "tls211_pat_publn")
#: Tables joined one row per key: a second row with the same key is quarantined, not joined twice.
KEYS = {"tls201_appln": "appln_id", "tls202_appln_title": "appln_id", "tls203_appln_abstr": "appln_id",
        "tls206_person": "person_id", "tls211_pat_publn": "pat_publn_id"}
ORIGIN_SQL = ("CASE upper(trim(c.citn_origin)) " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in ORIGINS.items())
              + " ELSE nullif(lower(trim(c.citn_origin)), '') END")

MACROS = r"""
CREATE OR REPLACE MACRO ps_date(x) AS CASE WHEN starts_with(trim(x), '9999') THEN NULL ELSE pq_date(x) END;
CREATE OR REPLACE MACRO ps_id(x) AS coalesce(try_cast(x AS BIGINT), 0);
CREATE OR REPLACE MACRO ps_yes(x) AS upper(trim(coalesce(x, ''))) IN ('Y', '1', 'TRUE');
"""


def table_files(folder: Path, name: str) -> list[Path]:
    """``tls201_appln.csv``, ``tls201_part01.zip``, ... : every file of a table, by its ``tlsNNN`` prefix."""
    prefix = name.split("_")[0]
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.name.lower().startswith(prefix + "_") and p.suffix.lower() in (".csv", ".zip", ".txt"))


def _load_table(sink: Sink, name: str, files: list[Path], workdir: Path) -> None:
    parts = []
    for path in files:
        head = path.open("rb").read(65536)
        if not head.strip():
            raise BadInputError(f"{path} is empty", hint=f"export {name} again")
        if path.suffix.lower() != ".zip" and b"\x00" in head:
            raise BadInputError(f"{path} is a binary file, not a PATSTAT CSV table", hint=f"export {name} as CSV")
        for csv_path in _patstat_csvs(path, workdir, sink.limits):
            view = f"{name}_{len(parts)}"
            load_csv(_TableSink(sink, path), csv_path, view)
            present = {r[0].lower() for r in sink.con.execute(f"DESCRIBE {view}").fetchall()}
            missing = [c for c in TABLES[name] if c not in present]
            if missing:
                raise BadInputError(f"{path}: not the PATSTAT {name} table, missing columns {missing}",
                                    hint="export the table with its PATSTAT Global column names as the header")
            parts.append(view)
    union = " UNION ALL BY NAME ".join(f"SELECT * FROM {p}" for p in parts)
    sink.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {union}")
    if name in KEYS:
        drop_duplicate_keys(sink, name, KEYS[name], name)


def ingest(path: Path, sink: Sink) -> None:
    if not path.is_dir():
        raise BadInputError(f"{path} is not a folder; patstat takes the folder holding the tls*.csv tables",
                            hint="put the PATSTAT CSV (or zip) files in one folder and pass that folder")
    found = {name: table_files(path, name) for name in TABLES}
    for name in REQUIRED:
        if not found[name]:
            raise BadInputError(f"{path}: required PATSTAT table {name} not found (no {name.split('_')[0]}_*.csv or .zip)",
                                hint=f"export {name} into the same folder")
    con = sink.con
    for statement in MACROS.split(";"):
        if statement.strip():
            con.execute(statement)
    with tempfile.TemporaryDirectory(dir=sink.staging) as tmp:
        for name, files in found.items():
            if files:
                _load_table(sink, name, files, Path(tmp))
    have = {name for name, files in found.items() if files}
    absent = [n for n in TABLES if n not in have and n != "tls214_npl_publn"]
    if absent:
        sink.note(f"tables not in the folder, so their rows are empty: {', '.join(absent)}")
    _publications(sink, have)
    _texts(sink, have)
    _parties(sink, have)
    _classifications(sink, have)
    _citations(sink, have)
    if (path / CONTEXT_FOLDER).is_dir():  # the whole tables, for who cites the extract (patstat_context.py)
        ingest_context(path / CONTEXT_FOLDER, sink)


def _publications(sink: Sink, have: set[str]) -> None:
    con = sink.con
    con.execute("""CREATE OR REPLACE TEMP TABLE ps_pub AS
        SELECT p.*, fq_pn3(p.publn_auth, p.publn_nr, p.publn_kind) AS pn, p.rowid AS ord
        FROM tls211_pat_publn p""")
    placeholders = con.execute("SELECT count(*) FROM ps_pub WHERE pn IS NULL").fetchone()[0]
    if placeholders:
        sink.note(f"{placeholders} tls211 row(s) without a publication number (unpublished applications) skipped")
        sink.skip("tls211 row without a publication number (unpublished application)", placeholders)
    con.execute("DELETE FROM ps_pub WHERE pn IS NULL")
    title = "LEFT JOIN tls202_appln_title t ON t.appln_id = p.appln_id" if "tls202_appln_title" in have else ""
    abstract = "LEFT JOIN tls203_appln_abstr ab ON ab.appln_id = p.appln_id" if "tls203_appln_abstr" in have else ""
    # Grant: the first-grant publication. When an application is flagged granted but no publication
    # of it in the extract carries publn_first_grant, its latest publication stands for the grant.
    grant = ("(ps_yes(p.publn_first_grant) OR (ps_yes(a.granted) AND NOT p.any_first_grant AND p.latest = 1))")
    tls211 = {r[0].lower() for r in con.execute("DESCRIBE tls211_pat_publn").fetchall()}
    publn_lg = "nullif(trim(p.publn_lg), '')" if "publn_lg" in tls211 else "NULL"  # optional in older extracts
    sink.copy_sql("publications", {
        "publication_number": "p.pn",
        "publication_number_raw": "trim(p.publn_auth) || trim(p.publn_nr) || coalesce(trim(p.publn_kind), '')",
        "country_code": "upper(trim(p.publn_auth))",
        "kind_code": "nullif(upper(trim(p.publn_kind)), '')",
        "application_number": ("upper(trim(a.appln_auth)) || '-' || trim(a.appln_nr) "
                               "|| CASE WHEN coalesce(trim(a.appln_kind), '') = '' THEN '' ELSE '-' || trim(a.appln_kind) END"),
        "family_id": "CASE WHEN ps_id(a.docdb_family_id) > 0 THEN CAST(ps_id(a.docdb_family_id) AS VARCHAR) "
                     "ELSE '~patstat-appln:' || p.appln_id END",
        "extended_family_id": "CASE WHEN ps_id(a.inpadoc_family_id) > 0 THEN CAST(ps_id(a.inpadoc_family_id) AS VARCHAR) END",
        "publication_date": "ps_date(p.publn_date)",
        "filing_date": "ps_date(a.appln_filing_date)",
        "priority_date": "coalesce(ps_date(a.earliest_filing_date), ps_date(a.appln_filing_date))",
        "priority_year": "year(coalesce(ps_date(a.earliest_filing_date), ps_date(a.appln_filing_date)))",
        "grant_date": f"CASE WHEN {grant} THEN ps_date(p.publn_date) END",
        "is_grant": grant,
        "title": "t.appln_title" if title else "NULL",
        "abstract": "ab.appln_abstract" if abstract else "NULL",
        "claims_count": "nullif(try_cast(p.publn_claims AS INTEGER), 0)",
        "language": f"lower(coalesce({publn_lg}, " + ("nullif(trim(t.appln_title_lg), '')" if title else "NULL") + "))",
        "source": "'patstat'",
        "source_ref": "'tls211:' || p.pat_publn_id",
    }, f"""(SELECT *, bool_or(ps_yes(publn_first_grant)) OVER (PARTITION BY appln_id) AS any_first_grant,
                   row_number() OVER (PARTITION BY appln_id ORDER BY ps_date(publn_date) DESC NULLS LAST, ps_id(pat_publn_id) DESC) AS latest
            FROM ps_pub) p
        LEFT JOIN tls201_appln a ON a.appln_id = p.appln_id {title} {abstract}
        ORDER BY p.ord""")
    sink.rows_read = con.execute("SELECT count(*) FROM tls211_pat_publn").fetchone()[0] + sink.rejected


def _texts(sink: Sink, have: set[str]) -> None:
    """Every title (tls202) and abstract (tls203) row with its language code, on every
    publication of the application (an extract may hold more than one language per application)."""
    parts = [f"SELECT p.pn, p.ord, '{field}' AS field, x.{lang} AS lang, x.{text} AS body FROM {table} x "
             f"JOIN ps_pub p ON p.appln_id = x.appln_id"
             for table, field, lang, text in (("tls202_appln_title", "title", "appln_title_lg", "appln_title"),
                                              ("tls203_appln_abstr", "abstract", "appln_abstract_lg", "appln_abstract"))
             if table in have]
    if parts:
        sink.copy_sql("texts", {"publication_number": "pn", "field": "field", "language": "nullif(lower(trim(lang)), '')",
                                "text": "body", "source": "'patstat'"},
                      f"({' UNION ALL '.join(parts)}) WHERE coalesce(trim(body), '') <> '' ORDER BY ord, field, lang")


def _parties(sink: Sink, have: set[str]) -> None:
    if not {"tls206_person", "tls207_pers_appln"} <= have:
        return
    base = ("FROM tls207_pers_appln pa JOIN tls206_person pe ON pe.person_id = pa.person_id "
            "JOIN ps_pub p ON p.appln_id = pa.appln_id")
    sink.copy_sql("parties", {"publication_number": "pn", "role": "role", "seq": "seq", "name": "name",
                              "country_code": "country"}, f"""(
        SELECT p.pn, 'applicant' AS role, ps_id(pa.applt_seq_nr) AS seq, trim(pe.person_name) AS name,
               pq_country(pe.person_ctry_code) AS country, p.ord {base} WHERE ps_id(pa.applt_seq_nr) > 0
        UNION ALL
        SELECT p.pn, 'inventor', ps_id(pa.invt_seq_nr), trim(pe.person_name), pq_country(pe.person_ctry_code), p.ord
        {base} WHERE ps_id(pa.invt_seq_nr) > 0) WHERE coalesce(name, '') <> '' ORDER BY ord, role DESC, seq""")


def _flag(columns: set[str], column: str, value: str) -> str:
    """``column = value`` when the table has that (older, optional) column, else NULL."""
    return f"upper(trim(x.{column})) = '{value}'" if column in columns else "NULL"


def _classifications(sink: Sink, have: set[str]) -> None:
    parts = []
    for table, scheme, symbol, position, value in (
        ("tls224_appln_cpc", "cpc", "cpc_class_symbol", "cpc_position", "cpc_value"),
        ("tls209_appln_ipc", "ipc", "ipc_class_symbol", "ipc_position", "ipc_value"),
    ):
        if table not in have:
            continue
        cols = {r[0].lower() for r in sink.con.execute(f"DESCRIBE {table}").fetchall()}
        parts.append(f"SELECT p.pn, p.ord, '{scheme}' AS scheme, fq_code(x.{symbol}) AS code, "
                     f"{_flag(cols, position, 'F')} AS is_first, {_flag(cols, value, 'I')} AS is_inventive, "
                     f"x.rowid AS n FROM {table} x JOIN ps_pub p ON p.appln_id = x.appln_id")
    if parts:
        sink.copy_sql("classifications", {"publication_number": "pn", "scheme": "scheme", "code": "code",
                                          "is_first": "is_first", "is_inventive": "is_inventive"}, f"""(
            SELECT pn, scheme, code, bool_or(is_first) AS is_first, bool_or(is_inventive) AS is_inventive,
                   min(ord) AS ord, min(n) AS n
            FROM ({' UNION ALL '.join(parts)}) WHERE code IS NOT NULL GROUP BY pn, scheme, code)
            ORDER BY ord, scheme, n""")


def _citations(sink: Sink, have: set[str]) -> None:
    if "tls212_citation" not in have:
        return
    con = sink.con
    categ = "NULL"
    join_categ = ""
    if "tls215_citn_categ" in have:
        cols = {r[0].lower() for r in con.execute("DESCRIBE tls215_citn_categ").fetchall()} & \
               {r[0].lower() for r in con.execute("DESCRIBE tls212_citation").fetchall()}
        keys = ["pat_publn_id", "citn_id"] + (["citn_replenished"] if "citn_replenished" in cols else [])
        on = " AND ".join(f"k.{c} = c.{c}" for c in keys)
        join_categ = (f"LEFT JOIN (SELECT {', '.join(keys)}, string_agg(DISTINCT upper(trim(citn_categ)), '' "
                      f"ORDER BY upper(trim(citn_categ))) AS categ FROM tls215_citn_categ "
                      f"WHERE trim(coalesce(citn_categ, '')) <> '' GROUP BY {', '.join(keys)}) k ON {on}")
        categ = "nullif(k.categ, '')"
    npl_text = "'[PATSTAT NPL ' || ps_id(c.cited_npl_publn_id) || ']'"
    join_npl = ""
    if "tls214_npl_publn" in have:
        join_npl = "LEFT JOIN tls214_npl_publn npl ON ps_id(npl.npl_publn_id) = ps_id(c.cited_npl_publn_id)"
        npl_text = f"coalesce(nullif(trim(npl.npl_biblio), ''), {npl_text})"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE ps_cit AS
        SELECT cp.pn AS citing, cp.ord,
               CASE WHEN ps_id(c.cited_pat_publn_id) > 0 THEN cited.pn WHEN ps_id(c.cited_appln_id) > 0 THEN capp.pn END AS cited,
               CASE WHEN ps_id(c.cited_npl_publn_id) > 0 THEN {npl_text} END AS npl,
               ps_id(c.cited_pat_publn_id) > 0 OR ps_id(c.cited_appln_id) > 0 AS is_patent,
               {categ} AS category, {ORIGIN_SQL} AS origin, c.rowid AS n
        FROM tls212_citation c
        JOIN ps_pub cp ON ps_id(cp.pat_publn_id) = ps_id(c.pat_publn_id)
        LEFT JOIN ps_pub cited ON ps_id(cited.pat_publn_id) = ps_id(c.cited_pat_publn_id)
        LEFT JOIN (SELECT appln_id, arg_min(pn, (ps_date(publn_date), ps_id(pat_publn_id))) AS pn
                   FROM ps_pub GROUP BY appln_id) capp ON ps_id(capp.appln_id) = ps_id(c.cited_appln_id)
        {join_categ} {join_npl}""")
    outside = con.execute("SELECT count(*) FROM ps_cit WHERE is_patent AND cited IS NULL").fetchone()[0]
    if outside:
        sink.note(f"{outside} patent citation(s) point to publications outside this extract and were left out")
    sink.copy_sql("citations", {"citing_publication_number": "citing", "cited_publication_number": "cited",
                                "npl_text": "npl", "category": "category", "origin": "origin"},
                  "ps_cit WHERE cited IS NOT NULL OR npl IS NOT NULL ORDER BY ord, n")


def _patstat_csvs(path: Path, workdir: Path, limits) -> list[Path]:
    return unzipped(path, workdir, (".csv", ".txt"), "CSV", "download the PATSTAT part again", limits)
