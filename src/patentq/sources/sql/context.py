"""The two context queries printed beside the candidate query (docs/bigquery.md).

A landscape export holds the candidates only, so forward citations would come only from other
candidates and cohorts would hold only the export's families. These queries bring the rest of the
world without exporting it:

- ``citing``: every publication of the whole table that cites a candidate (the candidate query's
  CPC and date restriction repeated as a CTE), reduced to the columns that count, date and
  classify a citation: ``patentq ingest google-citing``;
- ``baselines``: per cohort (priority year × WIPO field) over all families of the table, the
  histogram of every component the cohort measures and the composite indices normalise, and the
  families per inventor country: ``patentq ingest google-baselines``. The IPC → WIPO field
  concordance is inlined as one string, so the query needs no table of the user's.

Both are BigQuery standard SQL; ``tests/test_google_context.py`` parses them with sqlglot's
BigQuery dialect and runs their DuckDB transpilation on fixtures in the table's schema.
"""

from __future__ import annotations

import string

from . import candidate_conditions, date_condition, google_export_query, template

#: Query name → what it selects (``patentq export-query google --query NAME``).
QUERIES = {
    "candidates": "the landscape's candidate publications (patentq ingest google)",
    "citing": "the publications citing a candidate (patentq ingest google-citing)",
    "baselines": "the population histograms of every cohort (patentq ingest google-baselines)",
}
#: Years before the first export year whose priority cohorts the baselines keep (a family first
#: published in the export's first year was usually filed one or two years before).
PRIORITY_LEAD_YEARS = 5

_CLAIMS = r"""
    (SELECT IF(TRIM(x.text) = '', NULL,
               GREATEST(ARRAY_LENGTH(REGEXP_EXTRACT_ALL(x.text, r'(?m)^\s*\d{1,3}\s*[.)]\s')), 1))
     FROM UNNEST(p.claims_localized) AS x WITH OFFSET AS o
     ORDER BY IF(LOWER(x.language) = 'en', 0, 1), o LIMIT 1) AS claims,"""


def concordance_text() -> str:
    """The IPC → WIPO field concordance as ``prefix:field,...`` (split back into rows in the query)."""
    from ...indicators import concordance_rows

    return ",".join(f"{r['ipc_prefix']}:{int(r['field_number'])}" for r in concordance_rows())


def google_citing_query(prefixes: list[str], landscape: str = "custom", since: int | None = None,
                        until: int | None = None, keywords: str | None = None) -> str:
    """The citing-documents query; its candidates are the candidate query's (CPC, keywords, dates)."""
    clean, condition, keyword_condition = candidate_conditions(prefixes, keywords)
    return string.Template(template("google_citing.sql")).substitute(
        landscape=landscape, n_prefixes=len(clean), cpc_condition=condition, keyword_condition=keyword_condition,
        date_condition=date_condition(since, until))


def google_baselines_query(claims: bool = True, since: int | None = None, until: int | None = None) -> str:
    """The baselines query; ``since``/``until`` (publication years of the export) keep the priority
    cohorts from ``since - PRIORITY_LEAD_YEARS`` to ``until``; without them every cohort."""
    window, note = "", ""
    if since or until:
        lo = int(since) - PRIORITY_LEAD_YEARS if since else None
        conditions = ([f"f.cohort_year >= {lo}"] if lo else []) + ([f"f.cohort_year <= {int(until)}"] if until else [])
        window = "\n  WHERE " + " AND ".join(conditions)
        note = (f"\n-- Cohorts: priority years {lo or 'any'}-{until or 'any'} (the export's publication years, from "
                f"{PRIORITY_LEAD_YEARS} years earlier).")
    return string.Template(template("google_baselines.sql")).substitute(
        window_note=note, cohort_window=window, concordance=concordance_text(),
        claims_select=_CLAIMS if claims else "\n    CAST(NULL AS INT64) AS claims,",
        claims_bytes=(",\n-- and claims_localized, its largest column (`--no-claims` leaves it out)" if claims else
                      "\n-- (claims left out: `--no-claims`)"))


def google_queries(prefixes: list[str], landscape: str = "custom", claims: bool = True, since: int | None = None,
                   until: int | None = None, keywords: str | None = None, which: str = "all") -> str:
    """The queries ``which`` names (``all``: the three, each headed by the file to save it as)."""
    made = {
        "candidates": lambda: google_export_query(prefixes, landscape, claims=claims, since=since, until=until,
                                                  keywords=keywords),
        "citing": lambda: google_citing_query(prefixes, landscape, since=since, until=until, keywords=keywords),
        "baselines": lambda: google_baselines_query(claims=claims, since=since, until=until),
    }
    if which != "all":
        return made[which]()
    parts = []
    for name, what in QUERIES.items():
        parts.append(f"-- ===== query: {name} ({what}); save as {landscape}-{name}.sql and run it on its own\n"
                     + made[name]().rstrip() + ";\n")
    return "\n".join(parts)
