"""PatentsView granted-patent bulk tables (``g_*.tsv``, zipped or not), given as one folder.

The tables are loaded into DuckDB with ``csvtools.load_csv`` (malformed rows quarantined with
table and line) and joined there: inventors and assignees to ``g_location_disambiguated`` for
their countries. Column meanings: the PatentsView data dictionary (docs/sources.md).

Identity: a PatentsView ``patent_id`` (``10000000``, ``D800000``, ``RE49000``) plus ``wipo_kind``
is the canonical ``US-<id>-<kind>``. PatentsView has no DOCDB family, so the family id is the
surrogate ``~us-app:US-<application number>`` the USPTO XML adapter uses too; the ``families``
stage replaces it with a DOCDB id when another source gives one for the same patent.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import BadInputError
from ..normalize import surrogate_family_id
from .base import Sink
from .context_tables import CONTEXT_FOLDER
from .csvtools import drop_duplicate_keys, load_csv, unzipped
from .patentsview_context import ingest_context

FORMAT = "patentsview"
DESCRIPTION = "PatentsView bulk download folder of g_*.tsv tables (zipped or not)"
#: A folder is one input: the tables of one extract.
TAKES_FOLDERS = True
#: What this format carries (patentq.capabilities.FIELDS); the lake profile measures what a file holds.
PROVIDES = {  # PatentsView granted-patent tables (US grants only)
    "publication_date": "yes", "priority_date": "yes", "filing_date": "yes", "grant_status": "yes",
    "grant_date": "yes", "inventor_country": "yes", "applicant_country": "yes", "applicant_name": "yes",
    "cpc": "yes", "ipc": "yes", "title": "yes", "abstract": "yes", "claims": "yes", "citation_list": "yes",
    "npl_list": "yes", "priority_numbers": "yes",
    "context_citing": "yes",  # with the whole g_us_patent_citation in context/ (patentsview_context.py)
}

REQUIRED = ("g_patent", "g_application")
#: Tables joined one row per key: a second row with the same key is quarantined, not joined twice.
KEYS = {"g_patent": "patent_id", "g_patent_abstract": "patent_id", "g_location_disambiguated": "location_id"}
OPTIONAL = ("g_patent_abstract", "g_cpc_current", "g_ipc_at_issue", "g_inventor_disambiguated",
            "g_assignee_disambiguated", "g_location_disambiguated", "g_us_patent_citation",
            "g_foreign_citation", "g_other_reference", "g_foreign_priority")
#: Columns each table must have for the mapping below (PatentsView data dictionary).
COLUMNS = {
    "g_patent": ["patent_id", "patent_date", "patent_title", "wipo_kind", "num_claims", "withdrawn"],
    "g_application": ["patent_id", "application_id", "filing_date"],
    "g_patent_abstract": ["patent_id", "patent_abstract"],
    "g_cpc_current": ["patent_id", "cpc_sequence", "cpc_group", "cpc_type"],
    "g_ipc_at_issue": ["patent_id", "ipc_sequence", "section", "ipc_class", "subclass", "main_group", "subgroup",
                       "classification_value"],
    "g_inventor_disambiguated": ["patent_id", "inventor_sequence", "disambig_inventor_name_first",
                                 "disambig_inventor_name_last", "location_id"],
    "g_assignee_disambiguated": ["patent_id", "assignee_sequence", "disambig_assignee_organization",
                                 "disambig_assignee_individual_name_first", "disambig_assignee_individual_name_last",
                                 "location_id"],
    "g_location_disambiguated": ["location_id", "disambig_country"],
    "g_us_patent_citation": ["patent_id", "citation_sequence", "citation_patent_id", "wipo_kind", "citation_category"],
    "g_foreign_citation": ["patent_id", "citation_sequence", "citation_application_id", "citation_country",
                           "citation_category"],
    "g_other_reference": ["patent_id", "other_reference_sequence", "other_reference_text"],
    "g_foreign_priority": ["patent_id", "foreign_application_id", "filing_date", "foreign_country_filed"],
}
#: ``citation_category`` values → canonical origin (same words as the USPTO XML adapter).
ORIGIN_SQL = ("CASE lower(trim({c})) WHEN 'cited by examiner' THEN 'examiner' WHEN 'cited by applicant' THEN 'applicant' "
              "WHEN 'cited by other' THEN 'other' WHEN 'cited by third party' THEN 'third party' "
              "ELSE nullif(lower(trim({c})), '') END")


class _TableSink:
    """The sink as ``load_csv`` sees it for one table: rejects say which table file and line."""

    def __init__(self, sink: Sink, path: Path):
        self._sink, self.path, self.con = sink, path, sink.con

    def reject(self, where, reason, raw=None):
        self._sink.reject(f"{self.path.name}:{where}", reason, raw)

    def repair(self, where, reason, raw=None):
        self._sink.repair(f"{self.path.name}:{where}", reason, raw)

    def __getattr__(self, name):  # notes, limits, staging, counts: the file's own sink
        return getattr(self._sink, name)

    @property
    def rows_read(self):
        return self._sink.rows_read

    @rows_read.setter
    def rows_read(self, value):
        self._sink.rows_read = value


def find_table(folder: Path, name: str) -> Path | None:
    for candidate in (f"{name}.tsv", f"{name}.tsv.zip", f"{name}.zip"):
        if (folder / candidate).is_file():
            return folder / candidate
    return None


def _load_table(sink: Sink, name: str, path: Path, workdir: Path) -> None:
    head = path.open("rb").read(65536)
    if not head.strip():
        raise BadInputError(f"{path} is empty", hint=f"download {name} again from PatentsView")
    if not path.name.endswith(".zip") and b"\x00" in head:
        raise BadInputError(f"{path} is a binary file, not a PatentsView TSV", hint=f"download {name} again")
    tsv = unzipped(path, workdir, (".tsv",), ".tsv", "download the table again", sink.limits)[0]
    load_csv(_TableSink(sink, path), tsv, name, delim="\t")
    present = {r[0] for r in sink.con.execute(f"DESCRIBE {name}").fetchall()}
    missing = [c for c in COLUMNS[name] if c not in present]
    if missing:
        raise BadInputError(f"{path}: not the PatentsView {name} table, missing columns {missing}",
                            hint="download the granted-patent g_ tables from patentsview.org/download")
    if name in KEYS:
        drop_duplicate_keys(sink, name, KEYS[name], path.name)


def ingest(path: Path, sink: Sink) -> None:
    if not path.is_dir():
        raise BadInputError(f"{path} is not a folder; patentsview takes the folder holding the g_*.tsv tables",
                            hint="put the downloaded g_*.tsv(.zip) files in one folder and pass that folder")
    found = {name: find_table(path, name) for name in REQUIRED + OPTIONAL}
    missing = [name for name in REQUIRED if found[name] is None]
    if missing:
        raise BadInputError(f"{path}: required PatentsView table {', '.join(missing)} not found "
                            f"(looked for {missing[0]}.tsv and {missing[0]}.tsv.zip)",
                            hint="download it from patentsview.org/download into the same folder")
    with tempfile.TemporaryDirectory(dir=sink.staging) as tmp:
        for name, table_path in found.items():
            if table_path is not None:
                _load_table(sink, name, table_path, Path(tmp))
    absent = [name for name in OPTIONAL if found[name] is None and name != "g_foreign_priority"]
    if absent:
        sink.note(f"tables not in the folder, so their rows are empty: {', '.join(absent)}")
    _map(sink, {name for name, p in found.items() if p is not None})
    # a record is a patent (a g_patent row), as in PATSTAT; rows of any table quarantined count too
    sink.rows_read = sink.con.execute("SELECT count(*) FROM g_patent").fetchone()[0] + sink.rejected
    if (path / CONTEXT_FOLDER).is_dir():  # the whole tables, for who cites the extract (patentsview_context.py)
        ingest_context(path / CONTEXT_FOLDER, sink, ORIGIN_SQL)


def _map(sink: Sink, have: set[str]) -> None:
    con = sink.con
    con.execute("""CREATE OR REPLACE TEMP TABLE pv_pub AS
        SELECT patent_id, fq_pn3('US', patent_id, wipo_kind) AS pn FROM g_patent""")
    app = "'US-' || regexp_replace(a.application_id, '[^0-9A-Za-z]', '', 'g')"
    family_prefix = surrogate_family_id("us-app", "X")[:-1]  # '~us-app:'
    withdrawn = "coalesce(p.withdrawn, '0') IN ('1', 'true', 'TRUE', 'True')"
    abstract = "ab.patent_abstract" if "g_patent_abstract" in have else "NULL"
    join_abstract = "LEFT JOIN g_patent_abstract ab USING (patent_id)" if "g_patent_abstract" in have else ""
    priority = "a.filing_date"
    join_priority = ""
    if "g_foreign_priority" in have:
        join_priority = ("LEFT JOIN (SELECT patent_id, min(try_cast(filing_date AS DATE)) AS d FROM g_foreign_priority "
                         "GROUP BY patent_id) fp USING (patent_id)")
        priority = "least(try_cast(a.filing_date AS DATE), fp.d)"
    sink.copy_sql("publications", {
        "publication_number": "fq_pn3('US', p.patent_id, p.wipo_kind)",
        "publication_number_raw": "p.patent_id",
        "country_code": "'US'",
        "kind_code": "upper(trim(p.wipo_kind))",
        "application_number": app,
        "family_id": f"'{family_prefix}' || {app}",
        "publication_date": "pq_date(p.patent_date)",
        "filing_date": "pq_date(a.filing_date)",
        "priority_date": f"pq_date({priority})",
        "priority_year": f"year(pq_date({priority}))",
        "grant_date": f"CASE WHEN NOT {withdrawn} THEN pq_date(p.patent_date) END",
        "is_grant": f"NOT {withdrawn}",
        "title": "p.patent_title",
        "abstract": abstract,
        "claims_count": "try_cast(p.num_claims AS INTEGER)",
        "language": "'en'",
        "source": "'patentsview'",
        "source_ref": "'g_patent:' || p.patent_id",
    }, f"g_patent p LEFT JOIN (SELECT patent_id, min(application_id) AS application_id, min(filing_date) AS filing_date "
       f"FROM g_application GROUP BY patent_id) a USING (patent_id) {join_abstract} {join_priority} "
       "ORDER BY p.rowid")
    _parties(sink, have)
    _classifications(sink, have)
    _citations(sink, have)
    if "g_foreign_priority" in have:
        sink.copy_sql("priorities", {
            "publication_number": "v.pn",
            "priority_number": "upper(trim(fp.foreign_country_filed)) || regexp_replace(fp.foreign_application_id, '\\s', '', 'g')",
            "priority_country": "pq_country(fp.foreign_country_filed)",
            "priority_date": "pq_date(fp.filing_date)",
        }, "g_foreign_priority fp JOIN pv_pub v USING (patent_id) ORDER BY fp.rowid")


def _parties(sink: Sink, have: set[str]) -> None:
    country = "pq_country(l.disambig_country)" if "g_location_disambiguated" in have else "NULL"
    parts = []
    for table, role, seq, name in (
        ("g_inventor_disambiguated", "inventor", "inventor_sequence",
         "trim(concat_ws(' ', t.disambig_inventor_name_first, t.disambig_inventor_name_last))"),
        ("g_assignee_disambiguated", "applicant", "assignee_sequence",
         "coalesce(nullif(trim(t.disambig_assignee_organization), ''), trim(concat_ws(' ', "
         "t.disambig_assignee_individual_name_first, t.disambig_assignee_individual_name_last)))"),
    ):
        if table not in have:
            continue
        loc = "LEFT JOIN g_location_disambiguated l ON l.location_id = t.location_id" if country != "NULL" else ""
        # PatentsView sequences start at 0; canonical seq starts at 1
        parts.append(f"SELECT v.pn, '{role}' AS role, try_cast(t.{seq} AS INTEGER) + 1 AS seq, {name} AS name, "
                     f"{country} AS country FROM {table} t JOIN pv_pub v USING (patent_id) {loc}")
    if parts:
        sink.copy_sql("parties", {"publication_number": "pn", "role": "role", "seq": "seq", "name": "name",
                                  "country_code": "country"},
                      f"({' UNION ALL '.join(parts)}) WHERE coalesce(name, '') <> '' ORDER BY pn, role DESC, seq")


def _classifications(sink: Sink, have: set[str]) -> None:
    parts = []
    if "g_cpc_current" in have:
        parts.append("SELECT v.pn, 'cpc' AS scheme, fq_code(c.cpc_group) AS code, "
                     "try_cast(c.cpc_sequence AS INTEGER) = 0 AS is_first, lower(c.cpc_type) = 'inventive' AS is_inventive, "
                     "try_cast(c.cpc_sequence AS INTEGER) AS ord FROM g_cpc_current c JOIN pv_pub v USING (patent_id)")
    if "g_ipc_at_issue" in have:
        parts.append("SELECT v.pn, 'ipc', fq_code(concat(i.section, i.ipc_class, i.subclass, ' ', "
                     "i.main_group, '/', i.subgroup)), try_cast(i.ipc_sequence AS INTEGER) = 0, "
                     "upper(i.classification_value) = 'I', try_cast(i.ipc_sequence AS INTEGER) "
                     "FROM g_ipc_at_issue i JOIN pv_pub v USING (patent_id)")
    if parts:
        sink.copy_sql("classifications", {"publication_number": "pn", "scheme": "scheme", "code": "code",
                                          "is_first": "is_first", "is_inventive": "is_inventive"},
                      f"(SELECT pn, scheme, code, bool_or(is_first) AS is_first, bool_or(is_inventive) AS is_inventive, "
                      f"min(ord) AS ord FROM ({' UNION ALL '.join(parts)}) WHERE code IS NOT NULL "
                      "GROUP BY pn, scheme, code) ORDER BY pn, scheme, ord")


def _citations(sink: Sink, have: set[str]) -> None:
    parts = []
    if "g_us_patent_citation" in have:
        parts.append("SELECT v.pn, fq_pn3('US', c.citation_patent_id, c.wipo_kind) AS cited, "
                     f"NULL AS npl, {ORIGIN_SQL.format(c='c.citation_category')} AS origin, 1 AS grp, "
                     "try_cast(c.citation_sequence AS INTEGER) AS ord FROM g_us_patent_citation c JOIN pv_pub v USING (patent_id)")
    if "g_foreign_citation" in have:
        parts.append("SELECT v.pn, fq_pn3(c.citation_country, c.citation_application_id, NULL), NULL, "
                     f"{ORIGIN_SQL.format(c='c.citation_category')}, 2, try_cast(c.citation_sequence AS INTEGER) "
                     "FROM g_foreign_citation c JOIN pv_pub v USING (patent_id)")
    if "g_other_reference" in have:
        parts.append("SELECT v.pn, NULL, nullif(trim(o.other_reference_text), ''), NULL, 3, "
                     "try_cast(o.other_reference_sequence AS INTEGER) FROM g_other_reference o JOIN pv_pub v USING (patent_id)")
    if parts:
        sink.copy_sql("citations", {"citing_publication_number": "pn", "cited_publication_number": "cited",
                                    "npl_text": "npl", "origin": "origin"},
                      f"({' UNION ALL '.join(parts)}) WHERE cited IS NOT NULL OR npl IS NOT NULL ORDER BY pn, grp, ord")
