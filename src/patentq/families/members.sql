-- family_members: one row per distinct (publication, resolved family id); see families/__init__.py
WITH src AS (
  SELECT publication_number, coalesce(family_id, '~pub:' || publication_number) AS raw_family_id,
         $base_pn AS base_number,
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
