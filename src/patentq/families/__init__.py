"""The ``families`` derivation: one row per DOCDB simple family, from the canonical tables.

Two derived tables are written through the engine (portable SQL, see docs/architecture.md):

- ``family_members``: one row per distinct (publication, resolved family id). A publication
  normally has one family; the same number in several DOCDB families (CSET's Excel-mangled
  numbers such as ``DE-1.02E+11-A1``) keeps one row per family so no family is lost. Sources
  without DOCDB ids (Lens CSV, USPTO XML) carry surrogate ids starting with ``~``; a surrogate
  family is renamed to the DOCDB id that another source gives for any of its publications,
  compared on the number without kind (``US-8926509``), so the sources merge into one family.
  Every later stage (citations, indicators, attribution) joins through this table.
  ``family_key`` is a dense integer per family: the heavy joins of the citation and OECD
  stages run on it rather than on the text id.
- ``families``: the columns docs/architecture.md lists, plus ``family_size`` (offices other
  than WO), ``first_filing_date``, ``first_grant_filing_date`` and ``n_inventor_countries``.

Inventor and applicant countries are the union over all members, so a member that lacks them
is filled from the others; what stays unknown is counted and recorded in the manifest.
"""

from __future__ import annotations

from .engines import get_engine
from .lake import Lake

#: The publication number without kind code (``US-8926509-B2`` → ``US-8926509``), portable SQL.
BASE_NUMBER = "split_part({col}, '-', 1) || '-' || split_part({col}, '-', 2)"

FAMILY_MEMBERS_SQL = """
WITH src AS (
  SELECT publication_number, coalesce(family_id, '~pub:' || publication_number) AS raw_family_id,
         {base_pn} AS base_number,
         country_code, kind_code, extended_family_id, publication_date, filing_date, priority_date,
         priority_year, grant_date, CASE WHEN is_grant OR grant_date IS NOT NULL THEN 1 ELSE 0 END AS is_grant,
         claims_count, reported_cited_by_count, reported_cites_count, reported_npl_count
  FROM publications
  WHERE publication_number IS NOT NULL
),
surrogate_bases AS (SELECT DISTINCT base_number FROM src WHERE raw_family_id LIKE '~%'),
docdb_by_base AS (
  SELECT base_number, min(raw_family_id) AS docdb_family_id
  FROM src WHERE raw_family_id NOT LIKE '~%' AND base_number IN (SELECT base_number FROM surrogate_bases)
  GROUP BY base_number
),
surrogate_map AS (
  SELECT s.raw_family_id AS surrogate_id, min(d.docdb_family_id) AS docdb_family_id
  FROM src s JOIN docdb_by_base d ON s.base_number = d.base_number
  WHERE s.raw_family_id LIKE '~%'
  GROUP BY s.raw_family_id
),
-- one row per (publication, family). A publication listed once (the common case) is taken as it
-- is; only numbers listed more than once (several sources, or several families) are grouped,
-- each column to its min (max for flags and counts): grouping every row on two text keys with
-- a dozen text minimums was the costliest step of the families stage.
repeated AS (SELECT publication_number FROM src GROUP BY publication_number HAVING count(*) > 1),
members AS (
SELECT s.publication_number, s.base_number, coalesce(m.docdb_family_id, s.raw_family_id) AS family_id,
       s.raw_family_id AS source_family_id, s.country_code, s.kind_code, s.extended_family_id,
       s.publication_date, s.filing_date, s.priority_date, s.priority_year, s.grant_date,
       s.is_grant = 1 AS is_grant, s.claims_count, s.reported_cited_by_count, s.reported_cites_count,
       s.reported_npl_count
FROM src s LEFT JOIN surrogate_map m ON s.raw_family_id = m.surrogate_id
WHERE s.publication_number NOT IN (SELECT publication_number FROM repeated)
UNION ALL
SELECT s.publication_number, min(s.base_number) AS base_number,
       coalesce(m.docdb_family_id, s.raw_family_id) AS family_id,
       min(s.raw_family_id) AS source_family_id,
       min(s.country_code) AS country_code, min(s.kind_code) AS kind_code,
       min(s.extended_family_id) AS extended_family_id,
       min(s.publication_date) AS publication_date, min(s.filing_date) AS filing_date,
       min(s.priority_date) AS priority_date, min(s.priority_year) AS priority_year,
       min(s.grant_date) AS grant_date, max(s.is_grant) = 1 AS is_grant, max(s.claims_count) AS claims_count,
       max(s.reported_cited_by_count) AS reported_cited_by_count,
       max(s.reported_cites_count) AS reported_cites_count,
       max(s.reported_npl_count) AS reported_npl_count
FROM src s LEFT JOIN surrogate_map m ON s.raw_family_id = m.surrogate_id
WHERE s.publication_number IN (SELECT publication_number FROM repeated)
GROUP BY s.publication_number, coalesce(m.docdb_family_id, s.raw_family_id)
),
family_keys AS (
  SELECT family_id, row_number() OVER (ORDER BY family_id) AS family_key FROM (SELECT DISTINCT family_id FROM members) d
)
SELECT g.*, k.family_key FROM members g JOIN family_keys k ON g.family_id = k.family_id
"""

FAMILIES_SQL = """
-- Three aggregations keyed on family_key (one per source: members, their list values, their
-- priority claims) instead of one per column group: at 10M families each extra grouping is
-- another 10M-entry hash table and another join. "First" rows (first filing office, first
-- grant) are arg_min over a (date, publication number) struct, the ORDER BY of a window
-- without the window's sort.
WITH member_agg AS (
  SELECT family_key, family_id,
         count(*) AS members,
         min(publication_date) AS first_publication_date,
         min(priority_date) AS pub_priority_date,
         min(priority_year) AS pub_priority_year,
         min(filing_date) AS first_filing_date,
         max(CASE WHEN is_grant THEN 1 ELSE 0 END) = 1 AS granted,
         min(CASE WHEN is_grant THEN coalesce(grant_date, publication_date) END) AS first_grant_date,
         max(claims_count) AS max_claims,
         min(extended_family_id) AS extended_family_id,
         array_sort(list_distinct(array_agg(country_code) FILTER (WHERE country_code IS NOT NULL))) AS offices,
         arg_min(country_code, {'d': coalesce(filing_date, publication_date), 'p': publication_number})
           FILTER (WHERE country_code <> 'WO' AND coalesce(filing_date, publication_date) IS NOT NULL)
           AS first_filed_office,
         arg_min({'claims': claims_count, 'filed': filing_date},
                 {'d': coalesce(grant_date, publication_date, DATE '9999-12-31'), 'p': publication_number})
           FILTER (WHERE is_grant) AS first_grant
  FROM family_members GROUP BY family_key, family_id  -- one id per key: grouped, not aggregated
),
-- every list value of the family in one grouping (CPC / IPC codes, inventor and applicant
-- countries); duplicates are dropped per family by list_distinct, not by a DISTINCT pass over
-- all the rows
list_values AS (
  SELECT fm.family_key, c.scheme AS kind, c.code AS value
  FROM classifications c JOIN family_members fm ON c.publication_number = fm.publication_number
  WHERE c.code IS NOT NULL AND c.scheme IN ('cpc', 'ipc')
  UNION ALL
  SELECT fm.family_key, p.role AS kind, p.country_code AS value
  FROM parties p JOIN family_members fm ON p.publication_number = fm.publication_number
  WHERE p.country_code IS NOT NULL AND p.country_code <> '' AND p.role IN ('inventor', 'applicant')
),
lists AS (
  SELECT family_key,
         array_sort(list_distinct(array_agg(value) FILTER (WHERE kind = 'cpc'))) AS cpc_codes,
         array_sort(list_distinct(array_agg(value) FILTER (WHERE kind = 'ipc'))) AS ipc_codes,
         array_sort(list_distinct(array_agg(value) FILTER (WHERE kind = 'inventor'))) AS inventor_countries,
         array_sort(list_distinct(array_agg(value) FILTER (WHERE kind = 'applicant'))) AS applicant_countries
  FROM list_values GROUP BY family_key
),
prio AS (
  SELECT fm.family_key, min(pr.priority_date) AS prio_table_date,
         arg_min(pr.priority_country, {'d': pr.priority_date, 'c': pr.priority_country})
           FILTER (WHERE pr.priority_country IS NOT NULL AND pr.priority_date IS NOT NULL) AS first_priority_office
  FROM priorities pr JOIN family_members fm ON pr.publication_number = fm.publication_number
  GROUP BY fm.family_key
)
SELECT a.family_id, a.members, CASE WHEN array_length(a.offices) > 0 THEN a.offices END AS offices,
       coalesce(array_length(a.offices), 0) AS n_offices,
       coalesce(array_length(a.offices), 0) - CASE WHEN list_contains(a.offices, 'WO') THEN 1 ELSE 0 END AS family_size,
       a.first_publication_date, year(a.first_publication_date) AS first_publication_year,
       coalesce(a.pub_priority_date, pr.prio_table_date) AS priority_date,
       CAST(coalesce(year(a.pub_priority_date), a.pub_priority_year, year(pr.prio_table_date)) AS INTEGER)
         AS priority_year,
       coalesce(pr.first_priority_office, a.first_filed_office) AS priority_office,
       a.first_filing_date, a.granted, a.first_grant_date, a.first_grant.filed AS first_grant_filing_date,
       CAST(coalesce(a.first_grant.claims, a.max_claims) AS INTEGER) AS claims,
       coalesce(l.cpc_codes, CAST([] AS VARCHAR[])) AS cpc_codes,
       coalesce(l.ipc_codes, CAST([] AS VARCHAR[])) AS ipc_codes,
       coalesce(l.inventor_countries, CAST([] AS VARCHAR[])) AS inventor_countries,
       coalesce(l.applicant_countries, CAST([] AS VARCHAR[])) AS applicant_countries,
       a.extended_family_id, a.family_key
FROM member_agg a
LEFT JOIN lists l ON a.family_key = l.family_key
LEFT JOIN prio pr ON a.family_key = pr.family_key
"""

#: What stays unknown after filling countries from other members (reported, and kept in the manifest).
UNKNOWNS_SQL = """
SELECT count(*) AS families,
       count(*) FILTER (WHERE array_length(inventor_countries) = 0) AS unknown_inventor_country,
       count(*) FILTER (WHERE array_length(applicant_countries) = 0) AS unknown_applicant_country,
       count(*) FILTER (WHERE priority_year IS NULL) AS unknown_priority_year,
       count(*) FILTER (WHERE first_publication_date IS NULL) AS unknown_publication_date,
       count(*) FILTER (WHERE priority_office IS NULL) AS unknown_priority_office,
       count(*) FILTER (WHERE claims IS NULL) AS unknown_claims
FROM families
"""

#: Publications whose own parties lack a country that the family supplies (filled, not unknown).
FILLED_SQL = """
WITH with_inventor AS (
  SELECT DISTINCT publication_number FROM parties WHERE role = 'inventor' AND country_code IS NOT NULL
),
with_applicant AS (
  SELECT DISTINCT publication_number FROM parties WHERE role = 'applicant' AND country_code IS NOT NULL
),
own AS (
  SELECT fm.family_key,
         fm.publication_number IN (SELECT publication_number FROM with_inventor) AS has_inv,
         fm.publication_number IN (SELECT publication_number FROM with_applicant) AS has_app
  FROM family_members fm
)
SELECT count(*) FILTER (WHERE NOT o.has_inv AND array_length(f.inventor_countries) > 0) AS filled_inventor_country,
       count(*) FILTER (WHERE NOT o.has_app AND array_length(f.applicant_countries) > 0) AS filled_applicant_country
FROM own o JOIN families f ON o.family_key = f.family_key
"""


def family_members_sql() -> str:
    return FAMILY_MEMBERS_SQL.format(base_pn=BASE_NUMBER.format(col="publication_number"))


def build_families(engine) -> dict:
    """Write ``family_members`` and ``families``; return the unknown/filled counts.

    ``patentq indicators`` records these counts in the manifest entry of ``family_indicators``.
    """
    members = engine.write_derived("family_members", family_members_sql(), stage="families")
    engine.write_derived("families", FAMILIES_SQL, stage="families")
    stats = engine.query(UNKNOWNS_SQL).to_pylist()[0]
    stats.update(engine.query(FILLED_SQL).to_pylist()[0])
    stats["publications"] = members
    return stats


def families(lake_path, engine: str = "duckdb", **settings) -> dict:
    """Build the families tables of the lake at ``lake_path``."""
    lake = Lake.open(lake_path)
    return build_families(get_engine(engine, lake, **settings))
