-- families: one row per DOCDB simple family, from family_members and the canonical tables
-- Three aggregations keyed on family_key (one per source: members, their list values, their
-- priority claims) instead of one per column group: at 10M families each extra grouping is
-- another 10M-entry hash table and another join. "First" rows (first filing office, first
-- grant) are arg_min over a (date, publication number) struct, the ORDER BY of a window
-- without the window's sort. One part of the table = one range of family keys ($key_range; TRUE
-- for one part), read from family_members and family_values (each written in key order).
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
         max(lists_citations) AS lists_citations, max(lists_npl) AS lists_npl, max(lists_members) AS lists_members,
         max(reported_simple_family_size) AS reported_family_size,
         array_sort(list_distinct(array_agg(country_code) FILTER (WHERE country_code IS NOT NULL))) AS offices,
         arg_min(country_code, {'d': coalesce(filing_date, publication_date), 'p': publication_number})
           FILTER (WHERE country_code <> 'WO' AND coalesce(filing_date, publication_date) IS NOT NULL)
           AS first_filed_office,
         arg_min({'claims': claims_count, 'filed': filing_date},
                 {'d': coalesce(grant_date, publication_date, DATE '9999-12-31'), 'p': publication_number})
           FILTER (WHERE is_grant) AS first_grant
  FROM family_members WHERE $key_range
  GROUP BY family_key, family_id  -- one id per key: grouped, not aggregated
),
-- every list value of the family in one grouping (CPC / IPC codes, inventor and applicant
-- countries), read from family_values (the members' values, already keyed by family: no text
-- join here); duplicates are dropped per family by list_distinct, not by a DISTINCT pass over
-- all the rows
lists AS (
  SELECT family_key,
         array_sort(list_distinct(array_agg(value) FILTER (WHERE kind = 'cpc'))) AS cpc_codes,
         array_sort(list_distinct(array_agg(value) FILTER (WHERE kind = 'ipc'))) AS ipc_codes,
         array_sort(list_distinct(array_agg(value) FILTER (WHERE kind = 'inventor'))) AS inventor_countries,
         array_sort(list_distinct(array_agg(value) FILTER (WHERE kind = 'applicant'))) AS applicant_countries
  FROM family_values
  WHERE $key_range AND (kind IN ('cpc', 'ipc') OR (kind IN ('inventor', 'applicant') AND value <> ''))
  GROUP BY family_key
),
prio AS (
  SELECT family_key, min(day) AS prio_table_date,
         array_sort(list_distinct(array_agg(value) FILTER (WHERE value IS NOT NULL))) AS priority_offices,
         arg_min(value, {'d': day, 'c': value}) FILTER (WHERE value IS NOT NULL AND day IS NOT NULL)
           AS first_priority_office
  FROM family_values WHERE $key_range AND kind = 'priority'
  GROUP BY family_key
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
       coalesce(pr.priority_offices, CAST([] AS VARCHAR[])) AS priority_offices,
       a.lists_citations = 1 AS lists_citations, a.lists_npl = 1 AS lists_npl, a.lists_members = 1 AS lists_members,
       a.reported_family_size,
       a.extended_family_id, a.family_key
FROM member_agg a
LEFT JOIN lists l ON a.family_key = l.family_key
LEFT JOIN prio pr ON a.family_key = pr.family_key
