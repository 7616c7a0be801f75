"""PATSTAT context: who cites the extract, from the whole tables in the extract's ``context/`` folder.

A PATSTAT extract is a landscape; its own ``tls212_citation`` lists what its publications cite,
not who cites them. Given the whole ``tls212_citation`` and/or ``tls228_docdb_fam_citn`` in
``context/`` (with the whole ``tls211``, ``tls201``, ``tls206`` and ``tls207`` to describe the
citing documents, and optionally ``tls215`` for categories), every citation of an extract
publication by a publication outside the extract becomes a ``citations`` row from a
``context_documents`` row. The whole tables are streamed with the filter in the same scan
(``context_tables.stream``), never loaded whole:

1. ``tls212``: rows citing an extract publication (or its application) from outside the extract;
2. ``tls228``: family pairs whose cited family is the extract's and whose citing family is not;
   a pair no ``tls212`` row gives (e.g. a citation of a family member outside the extract) gets
   one row from the citing family's earliest publication to the cited family's earliest extract
   publication, so the family counts once; it is dated by that earliest publication;
3. ``tls211`` / ``tls201``: the citing publications and their applications (family, dates);
4. ``tls207`` / ``tls206``: their applicants (names, countries) and inventor countries.

A citing family of the extract itself (a member outside the extract citing) keeps its DOCDB
family id, so the indicators count it as that family.
"""

from __future__ import annotations

from pathlib import Path

from .base import Sink
from .context_tables import context_files, stream
from .google import ORIGINS

COLUMNS = {  # the columns read from each whole table (PATSTAT Global Data Catalog)
    "tls212_citation": ["pat_publn_id", "citn_id", "citn_origin", "cited_pat_publn_id", "cited_appln_id"],
    "tls228_docdb_fam_citn": ["docdb_family_id", "cited_docdb_family_id"],
    "tls211_pat_publn": ["pat_publn_id", "publn_auth", "publn_nr", "publn_kind", "appln_id", "publn_date"],
    "tls201_appln": ["appln_id", "appln_filing_date", "earliest_filing_date", "docdb_family_id"],
    "tls207_pers_appln": ["person_id", "appln_id", "applt_seq_nr", "invt_seq_nr"],
    "tls206_person": ["person_id", "person_name", "person_ctry_code"],
    "tls215_citn_categ": ["pat_publn_id", "citn_id", "citn_categ"],
}
ORIGIN_SQL = ("CASE upper(trim(c.citn_origin)) " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in ORIGINS.items())
              + " ELSE nullif(lower(trim(c.citn_origin)), '') END")


def ingest_context(folder: Path, sink: Sink) -> None:
    """Write context documents and their citations of the extract (``ps_pub``, ``tls201_appln``)."""
    files = {name: context_files(folder, name.split("_")[0] + "_") for name in COLUMNS}
    if not files["tls212_citation"] and not files["tls228_docdb_fam_citn"]:
        sink.note(f"{folder}: no whole tls212_citation or tls228_docdb_fam_citn, so no citing documents")
        return
    con = sink.con
    con.execute("""CREATE OR REPLACE TEMP TABLE pc_subject AS
        SELECT ps_id(p.pat_publn_id) AS id, ps_id(p.appln_id) AS appln_id, p.pn, ps_date(p.publn_date) AS d,
               ps_id(a.docdb_family_id) AS family
        FROM ps_pub p LEFT JOIN tls201_appln a ON ps_id(a.appln_id) = ps_id(p.appln_id)""")
    subject_pub = "(SELECT id FROM pc_subject)"
    stream(sink, files["tls212_citation"], "pc_cit", COLUMNS["tls212_citation"],
           f"(ps_id(t.cited_pat_publn_id) IN {subject_pub} OR (ps_id(t.cited_pat_publn_id) = 0 AND "
           f"ps_id(t.cited_appln_id) IN (SELECT appln_id FROM pc_subject))) AND ps_id(t.pat_publn_id) NOT IN {subject_pub}")
    stream(sink, files["tls228_docdb_fam_citn"], "pc_fam", COLUMNS["tls228_docdb_fam_citn"],
           "ps_id(t.cited_docdb_family_id) IN (SELECT family FROM pc_subject WHERE family > 0) AND "
           "ps_id(t.docdb_family_id) > 0 AND ps_id(t.docdb_family_id) NOT IN (SELECT family FROM pc_subject)")
    stream(sink, files["tls211_pat_publn"], "pc_pub", COLUMNS["tls211_pat_publn"],
           "ps_id(t.pat_publn_id) IN (SELECT ps_id(pat_publn_id) FROM pc_cit)")
    stream(sink, files["tls201_appln"], "pc_app", COLUMNS["tls201_appln"],
           "ps_id(t.appln_id) IN (SELECT ps_id(appln_id) FROM pc_pub) OR "
           "ps_id(t.docdb_family_id) IN (SELECT ps_id(docdb_family_id) FROM pc_fam)")
    if con.execute("SELECT count(*) FROM pc_fam").fetchone()[0]:  # the publications of tls228's citing families
        stream(sink, files["tls211_pat_publn"], "pc_fam_pub", COLUMNS["tls211_pat_publn"],
               "ps_id(t.appln_id) IN (SELECT ps_id(appln_id) FROM pc_app WHERE ps_id(docdb_family_id) IN "
               "(SELECT ps_id(docdb_family_id) FROM pc_fam)) AND ps_id(t.pat_publn_id) NOT IN (SELECT ps_id(pat_publn_id) FROM pc_pub)")
        con.execute("INSERT INTO pc_pub SELECT * FROM pc_fam_pub")
    _documents_and_pairs(con)
    stream(sink, files["tls207_pers_appln"], "pc_pa", COLUMNS["tls207_pers_appln"],
           "ps_id(t.appln_id) IN (SELECT appln_id FROM pc_doc)")
    stream(sink, files["tls206_person"], "pc_person", COLUMNS["tls206_person"],
           "ps_id(t.person_id) IN (SELECT ps_id(person_id) FROM pc_pa)")
    if files["tls215_citn_categ"]:
        stream(sink, files["tls215_citn_categ"], "pc_categ", COLUMNS["tls215_citn_categ"],
               "ps_id(t.pat_publn_id) IN (SELECT ps_id(pat_publn_id) FROM pc_cit)")
    _write(sink, bool(files["tls215_citn_categ"]))
    rows = con.execute("SELECT count(*), count(*) FILTER (WHERE from_family_table) FROM pc_pairs").fetchone()
    sink.note(f"context: {rows[0]} citation(s) of the extract from outside it ({rows[1]} only in tls228)")


def _documents_and_pairs(con) -> None:
    """``pc_doc``: the citing documents; ``pc_pairs``: (citing document, cited extract publication)."""
    con.execute("""CREATE OR REPLACE TEMP TABLE pc_pubs AS
        SELECT ps_id(p.pat_publn_id) AS id, fq_pn3(p.publn_auth, p.publn_nr, p.publn_kind) AS pn,
               upper(trim(p.publn_auth)) AS office, nullif(upper(trim(p.publn_kind)), '') AS kind,
               ps_date(p.publn_date) AS d, ps_id(p.appln_id) AS appln_id, ps_id(a.docdb_family_id) AS family,
               ps_date(a.appln_filing_date) AS filed, ps_date(a.earliest_filing_date) AS earliest
        FROM pc_pub p LEFT JOIN pc_app a ON ps_id(a.appln_id) = ps_id(p.appln_id)
        WHERE fq_pn3(p.publn_auth, p.publn_nr, p.publn_kind) IS NOT NULL""")
    # tls212 pairs: the cited publication, or the earliest extract publication of the cited application
    con.execute("""CREATE OR REPLACE TEMP TABLE pc_pairs AS
        SELECT cp.id AS citing_id, coalesce(s.pn, sa.pn) AS cited_pn, coalesce(s.family, sa.family) AS cited_family,
               c.citn_id, c.citn_origin, false AS from_family_table
        FROM pc_cit c JOIN pc_pubs cp ON cp.id = ps_id(c.pat_publn_id)
        LEFT JOIN pc_subject s ON s.id = ps_id(c.cited_pat_publn_id)
        LEFT JOIN (SELECT appln_id, arg_min(pn, (d, id)) AS pn, min(family) AS family FROM pc_subject GROUP BY appln_id) sa
          ON ps_id(c.cited_pat_publn_id) = 0 AND sa.appln_id = ps_id(c.cited_appln_id)""")
    # tls228 pairs that no tls212 row gives: earliest citing publication -> earliest extract publication
    con.execute("""INSERT INTO pc_pairs
        SELECT first_citing.id, first_cited.pn, f.cited, NULL, NULL, true
        FROM (SELECT DISTINCT ps_id(docdb_family_id) AS citing, ps_id(cited_docdb_family_id) AS cited FROM pc_fam) f
        JOIN (SELECT family, arg_min(id, (d, id)) AS id FROM pc_pubs GROUP BY family) first_citing
          ON first_citing.family = f.citing
        JOIN (SELECT family, arg_min(pn, (d, id)) AS pn FROM pc_subject GROUP BY family) first_cited
          ON first_cited.family = f.cited
        WHERE NOT EXISTS (SELECT 1 FROM pc_pairs p JOIN pc_pubs cp ON cp.id = p.citing_id
                          WHERE cp.family = f.citing AND p.cited_family = f.cited)""")
    con.execute("""CREATE OR REPLACE TEMP TABLE pc_doc AS
        SELECT * FROM pc_pubs WHERE id IN (SELECT citing_id FROM pc_pairs WHERE cited_pn IS NOT NULL)""")


def _write(sink: Sink, categories: bool) -> None:
    parties = """(SELECT pa.appln_id AS appln_id,
                    list(trim(pe.person_name) ORDER BY ps_id(pa.applt_seq_nr)) FILTER (WHERE ps_id(pa.applt_seq_nr) > 0
                      AND coalesce(trim(pe.person_name), '') <> '') AS names,
                    list_sort(list_distinct(list(pq_country(pe.person_ctry_code)) FILTER (WHERE ps_id(pa.applt_seq_nr) > 0
                      AND pq_country(pe.person_ctry_code) IS NOT NULL))) AS applicant_countries,
                    list_sort(list_distinct(list(pq_country(pe.person_ctry_code)) FILTER (WHERE ps_id(pa.invt_seq_nr) > 0
                      AND pq_country(pe.person_ctry_code) IS NOT NULL))) AS inventor_countries
             FROM (SELECT ps_id(appln_id) AS appln_id, person_id, applt_seq_nr, invt_seq_nr FROM pc_pa) pa
             JOIN pc_person pe ON ps_id(pe.person_id) = ps_id(pa.person_id) GROUP BY pa.appln_id)"""
    sink.copy_sql("context_documents", {
        "publication_number": "d.pn", "family_id": "CASE WHEN d.family > 0 THEN CAST(d.family AS VARCHAR) "
                                                   "ELSE '~patstat-appln:' || d.appln_id END",
        "country_code": "d.office", "kind_code": "d.kind", "publication_date": "d.d", "filing_date": "d.filed",
        "priority_date": "coalesce(d.earliest, d.filed)", "applicant_names": "coalesce(pt.names, [])",
        "applicant_countries": "coalesce(pt.applicant_countries, [])",
        "inventor_countries": "coalesce(pt.inventor_countries, [])",
        "source": "'patstat'", "source_ref": "'tls211:' || d.id",
    }, f"pc_doc d LEFT JOIN {parties} pt ON pt.appln_id = d.appln_id ORDER BY d.id")
    categ = "NULL"
    join = ""
    if categories:
        join = ("LEFT JOIN (SELECT ps_id(pat_publn_id) AS id, ps_id(citn_id) AS citn, string_agg(DISTINCT "
                "upper(trim(citn_categ)), '' ORDER BY upper(trim(citn_categ))) AS categ FROM pc_categ "
                "WHERE trim(coalesce(citn_categ, '')) <> '' GROUP BY 1, 2) k ON k.id = c.citing_id AND k.citn = ps_id(c.citn_id)")
        categ = "nullif(k.categ, '')"
    sink.copy_sql("citations", {"citing_publication_number": "d.pn", "cited_publication_number": "c.cited_pn",
                                "category": categ, "origin": ORIGIN_SQL},
                  f"pc_pairs c JOIN pc_doc d ON d.id = c.citing_id {join} WHERE c.cited_pn IS NOT NULL "
                  "ORDER BY d.id, ps_id(c.citn_id)")
