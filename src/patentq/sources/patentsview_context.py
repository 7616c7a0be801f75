"""PatentsView context: the US patents citing the extract, from whole tables in ``context/``.

A PatentsView folder of ``g_*`` tables restricted to a landscape lists what its patents cite.
Given the whole ``g_us_patent_citation`` in ``context/`` (with the whole ``g_patent``,
``g_application``, ``g_assignee_disambiguated``, ``g_inventor_disambiguated`` and
``g_location_disambiguated`` to describe the citing patents), every citation of an extract
patent by a patent outside the extract becomes a ``citations`` row from a ``context_documents``
row. The whole tables are streamed with the filter in the same scan (``context_tables.stream``).
Citing patents carry the same surrogate family as the extract's (``~us-app:US-<application>``).
"""

from __future__ import annotations

from pathlib import Path

from ..normalize import surrogate_family_id
from .base import Sink
from .context_tables import context_files, stream

COLUMNS = {  # PatentsView data dictionary
    "g_us_patent_citation": ["patent_id", "citation_sequence", "citation_patent_id", "wipo_kind", "citation_category"],
    "g_patent": ["patent_id", "patent_date", "wipo_kind"],
    "g_application": ["patent_id", "application_id", "filing_date"],
    "g_assignee_disambiguated": ["patent_id", "assignee_sequence", "disambig_assignee_organization",
                                 "disambig_assignee_individual_name_first", "disambig_assignee_individual_name_last",
                                 "location_id"],
    "g_inventor_disambiguated": ["patent_id", "location_id"],
    "g_location_disambiguated": ["location_id", "disambig_country"],
}


def ingest_context(folder: Path, sink: Sink, origin_sql: str) -> None:
    """Write the patents citing the extract (``pv_pub``) and their citations."""
    files = {name: context_files(folder, name + ".", (".tsv", ".zip", ".tsv.zip")) for name in COLUMNS}
    if not files["g_us_patent_citation"]:
        sink.note(f"{folder}: no whole g_us_patent_citation, so no citing patents")
        return
    tsv = {"delim": "\t", "suffixes": (".tsv",)}
    stream(sink, files["g_us_patent_citation"], "pvc_cit", COLUMNS["g_us_patent_citation"],
           "t.citation_patent_id IN (SELECT patent_id FROM pv_pub) AND t.patent_id NOT IN (SELECT patent_id FROM pv_pub)",
           **tsv)
    citing = "t.patent_id IN (SELECT patent_id FROM pvc_cit)"
    for name in ("g_patent", "g_application", "g_assignee_disambiguated", "g_inventor_disambiguated"):
        stream(sink, files[name], f"pvc_{name[2:]}", COLUMNS[name], citing, **tsv)
    stream(sink, files["g_location_disambiguated"], "pvc_location", COLUMNS["g_location_disambiguated"],
           "t.location_id IN (SELECT location_id FROM pvc_assignee_disambiguated UNION "
           "SELECT location_id FROM pvc_inventor_disambiguated)", **tsv)
    app = "'US-' || regexp_replace(a.application_id, '[^0-9A-Za-z]', '', 'g')"
    prefix = surrogate_family_id("us-app", "X")[:-1]
    name = ("coalesce(nullif(trim(s.disambig_assignee_organization), ''), trim(concat_ws(' ', "
            "s.disambig_assignee_individual_name_first, s.disambig_assignee_individual_name_last)))")
    sink.copy_sql("context_documents", {
        "publication_number": "fq_pn3('US', p.patent_id, p.wipo_kind)",
        "family_id": f"CASE WHEN a.application_id IS NOT NULL THEN '{prefix}' || {app} "
                     f"ELSE '{prefix}US-patent-' || p.patent_id END",
        "country_code": "'US'", "kind_code": "upper(trim(p.wipo_kind))",
        "publication_date": "pq_date(p.patent_date)", "filing_date": "pq_date(a.filing_date)",
        "priority_date": "pq_date(a.filing_date)",
        "applicant_names": "coalesce(s.names, [])", "applicant_countries": "coalesce(s.countries, [])",
        "inventor_countries": "coalesce(i.countries, [])",
        "source": "'patentsview'", "source_ref": "'g_patent:' || p.patent_id",
    }, f"""pvc_patent p
        LEFT JOIN (SELECT patent_id, min(application_id) AS application_id, min(filing_date) AS filing_date
                   FROM pvc_application GROUP BY patent_id) a USING (patent_id)
        LEFT JOIN (SELECT s.patent_id,
                          list({name} ORDER BY try_cast(s.assignee_sequence AS INTEGER)) FILTER (WHERE {name} <> '') AS names,
                          list_sort(list_distinct(list(pq_country(l.disambig_country))
                            FILTER (WHERE pq_country(l.disambig_country) IS NOT NULL))) AS countries
                   FROM pvc_assignee_disambiguated s LEFT JOIN pvc_location l USING (location_id)
                   GROUP BY s.patent_id) s USING (patent_id)
        LEFT JOIN (SELECT i.patent_id, list_sort(list_distinct(list(pq_country(l.disambig_country))
                            FILTER (WHERE pq_country(l.disambig_country) IS NOT NULL))) AS countries
                   FROM pvc_inventor_disambiguated i LEFT JOIN pvc_location l USING (location_id)
                   GROUP BY i.patent_id) i USING (patent_id)
        ORDER BY p.patent_id""")
    sink.copy_sql("citations", {
        "citing_publication_number": "fq_pn3('US', p.patent_id, p.wipo_kind)",
        "cited_publication_number": "fq_pn3('US', c.citation_patent_id, c.wipo_kind)",
        "origin": origin_sql.format(c="c.citation_category"),
    }, "pvc_cit c JOIN pvc_patent p USING (patent_id) ORDER BY p.patent_id, try_cast(c.citation_sequence AS INTEGER)")
    rows = sink.con.execute("SELECT count(*), count(DISTINCT patent_id) FROM pvc_cit").fetchone()
    sink.note(f"context: {rows[0]} citation(s) of the extract by {rows[1]} patent(s) outside it")
