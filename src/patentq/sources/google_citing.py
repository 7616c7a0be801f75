"""The citing-documents query's result (``patentq export-query google --query citing``): context.

Each row is one (citing publication, cited candidate) pair. The citing publications become
``context_documents`` (one row each: number, family, office, dates, applicant names and
countries, inventor countries) and the pairs become ``citations`` rows from the context
document to the candidate, with the search-report relevance (``type``: X, Y, A...) as category
and who cited it (``category``: SEA, APP, EXA...) as origin, mapped as for the candidate export.
Context documents never enter a landscape or a family count; the indicators count them as
citing families (docs/indicators.md). Family ids follow ``google.py``: ``-1``, ``0`` or empty
means no DOCDB family, and the application number stands in.
"""

from __future__ import annotations

from pathlib import Path

from .base import Sink
from .bq_results import SUFFIXES as _SUFFIXES
from .bq_results import load_result
from .google import _origin_sql

FORMAT = "google-citing"
DESCRIPTION = "Google Patents citing documents: the result of `patentq export-query google --query citing`"
SUFFIXES = tuple(s for s in _SUFFIXES if s != ".csv")
#: What this format carries (patentq.capabilities.FIELDS): documents outside the export that cite it.
PROVIDES = {"context_citing": "yes"}
PARALLEL = True

_LIST = '["VARCHAR"]'
FIELDS = {
    "publication_number": '"VARCHAR"', "family_id": '"VARCHAR"', "application_number": '"VARCHAR"',
    "country_code": '"VARCHAR"', "kind_code": '"VARCHAR"', "publication_date": '"VARCHAR"',
    "filing_date": '"VARCHAR"', "priority_date": '"VARCHAR"', "applicant_names": _LIST,
    "applicant_countries": _LIST, "inventor_countries": _LIST, "cited_publication_number": '"VARCHAR"',
    "cited_type": '"VARCHAR"', "cited_category": '"VARCHAR"',
}


def ingest(path: Path, sink: Sink) -> None:
    load_result(path, sink, FIELDS, "publication_number", "citing-documents result", "gc_rec")
    con = sink.con
    con.execute("""CREATE OR REPLACE TEMP TABLE gc AS
        SELECT *, fq_pn(publication_number) AS pn FROM gc_rec""")
    name = path.name
    countries = ("coalesce(list_sort(list_distinct(list_filter(list_transform({c}, lambda x: pq_country(x)), "
                 "lambda x: x IS NOT NULL))), [])")
    sink.copy_sql("context_documents", {
        "publication_number": "pn",
        "family_id": ("CASE WHEN coalesce(trim(family_id), '') NOT IN ('', '-1', '0') THEN trim(family_id) "
                      "ELSE '~google:' || coalesce(nullif(trim(application_number), ''), pn) END"),
        "country_code": "coalesce(nullif(upper(trim(country_code)), ''), split_part(pn, '-', 1))",
        "kind_code": "coalesce(nullif(upper(trim(kind_code)), ''), nullif(split_part(pn, '-', 3), ''))",
        "publication_date": "pq_date(publication_date)",
        "filing_date": "pq_date(filing_date)",
        "priority_date": "pq_date(priority_date)",
        "applicant_names": ("coalesce(list_filter(list_transform(applicant_names, lambda x: trim(x)), "
                            "lambda x: coalesce(x, '') <> ''), [])"),
        "applicant_countries": countries.format(c="applicant_countries"),
        "inventor_countries": countries.format(c="inventor_countries"),
        "source": "'google-citing'",
        "source_ref": f"'{name.replace(chr(39), chr(39) * 2)}:' || line_no",
    }, "(SELECT *, row_number() OVER (PARTITION BY pn ORDER BY line_no) AS k FROM gc) WHERE k = 1 ORDER BY line_no")
    sink.copy_sql("citations", {
        "citing_publication_number": "pn",
        "cited_publication_number": "fq_pn(cited_publication_number)",
        "category": "nullif(upper(trim(cited_type)), '')",
        "origin": _origin_sql("cited_category"),
    }, "gc WHERE coalesce(trim(cited_publication_number), '') <> '' ORDER BY line_no")
