-- family_members: one row per distinct (publication, resolved family id); see families/__init__.py.
-- lists_citations / lists_npl / lists_members: 1 when the publication's source gives its patent
-- citations, its NPL citations, its family's members as complete lists (provisions: the adapters'
-- PROVIDES, checked against the lake's inputs), so an empty list there is a real 0.
WITH provided AS (
  SELECT source,
         max(CASE WHEN field = 'citation_list' AND provision = 'yes' THEN 1 ELSE 0 END) AS lists_citations,
         max(CASE WHEN field = 'npl_list' AND provision = 'yes' THEN 1 ELSE 0 END) AS lists_npl,
         max(CASE WHEN field = 'family_members' AND provision = 'yes' THEN 1 ELSE 0 END) AS lists_members
  FROM ($provisions) v GROUP BY source
),
src AS (
  SELECT p.publication_number, coalesce(p.family_id, '~pub:' || p.publication_number) AS raw_family_id,
         $base_pn AS base_number,
         p.country_code, p.kind_code, p.extended_family_id, p.publication_date, p.filing_date, p.priority_date,
         p.priority_year, p.grant_date, CASE WHEN p.is_grant OR p.grant_date IS NOT NULL THEN 1 ELSE 0 END AS is_grant,
         p.claims_count, p.reported_cited_by_count, p.reported_cites_count, p.reported_npl_count,
         p.reported_simple_family_size,
         coalesce(v.lists_citations, 0) AS lists_citations, coalesce(v.lists_npl, 0) AS lists_npl,
         coalesce(v.lists_members, 0) AS lists_members
  FROM publications p LEFT JOIN provided v ON v.source = p.source
  WHERE p.publication_number IS NOT NULL
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
       s.reported_npl_count, s.reported_simple_family_size, s.lists_citations, s.lists_npl, s.lists_members
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
       max(s.reported_npl_count) AS reported_npl_count,
       max(s.reported_simple_family_size) AS reported_simple_family_size,
       max(s.lists_citations) AS lists_citations, max(s.lists_npl) AS lists_npl, max(s.lists_members) AS lists_members
FROM src s LEFT JOIN surrogate_map m ON s.raw_family_id = m.surrogate_id
WHERE s.publication_number IN (SELECT publication_number FROM repeated)
GROUP BY s.publication_number, coalesce(m.docdb_family_id, s.raw_family_id)
),
family_keys AS (
  SELECT family_id, row_number() OVER (ORDER BY family_id) AS family_key FROM (SELECT DISTINCT family_id FROM members) d
)
SELECT g.*, k.family_key FROM members g JOIN family_keys k ON g.family_id = k.family_id
