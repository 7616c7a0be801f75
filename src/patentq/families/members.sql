-- family_members: one row per distinct (publication, resolved family id); see families/__init__.py.
-- lists_citations / lists_npl / lists_members: 1 when the publication's source gives its patent
-- citations, its NPL citations, its family's members as complete lists (provisions: the adapters'
-- PROVIDES, checked against the lake's inputs), so an empty list there is a real 0.
-- Written in parts, each one range of resolved family ids (the source part: member_rows.sql, one
-- bucket of it): a part holds whole families, so every grouping below, which is per family, is
-- complete within it. The part is a subquery written out at each of its uses rather than one
-- CTE: DuckDB materialises a CTE read more than once, which held every row of the part in
-- memory (5.9 GB at 30M families).
-- one row per (publication, family). A publication listed once (the common case) is taken as it
-- is; only numbers listed more than once (several sources, or several families) are grouped,
-- each column to its min (max for flags and counts): grouping every row on two text keys with
-- a dozen text minimums was the costliest step of the families stage. "Listed more than once"
-- is counted within the part: a number in two families of different parts is one row in each,
-- and a group of one row has the row's own values, so the result is the same.
WITH repeated AS (SELECT publication_number FROM $part r GROUP BY publication_number HAVING count(*) > 1),
members AS (
SELECT s.publication_number, s.base_number, s.family_id,
       s.raw_family_id AS source_family_id, s.country_code, s.kind_code, s.extended_family_id,
       s.publication_date, s.filing_date, s.priority_date, s.priority_year, s.grant_date,
       s.is_grant = 1 AS is_grant, s.claims_count, s.reported_cited_by_count, s.reported_cites_count,
       s.reported_npl_count, s.reported_simple_family_size, s.lists_citations, s.lists_npl, s.lists_members
FROM $part s
WHERE s.publication_number NOT IN (SELECT publication_number FROM repeated)
UNION ALL
SELECT s.publication_number, min(s.base_number) AS base_number, s.family_id,
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
FROM $part s
WHERE s.publication_number IN (SELECT publication_number FROM repeated)
GROUP BY s.publication_number, s.family_id
),
-- family_key numbers the family ids in order; a part numbers on from the parts before it
-- ($key_offset = the largest key they gave), so the keys are those of one pass
family_keys AS (
  SELECT family_id, $key_offset + row_number() OVER (ORDER BY family_id) AS family_key
  FROM (SELECT DISTINCT family_id FROM $part d) d  -- not from members: a second reader would materialise it
)
SELECT g.*, k.family_key FROM members g JOIN family_keys k ON g.family_id = k.family_id
