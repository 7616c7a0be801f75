-- family_members' input: every publication with its resolved family id (a surrogate family
-- renamed to the DOCDB family another source gives for its base number), its base number and
-- the columns members.sql keeps, its source's provisions. members.sql reads it as one part of
-- resolved family ids (parts.buckets, bucketed by families.family_id_bucket; the whole of it for
-- one part).
WITH provided AS (
  SELECT source,
         max(CASE WHEN field = 'citation_list' AND provision = 'yes' THEN 1 ELSE 0 END) AS lists_citations,
         max(CASE WHEN field = 'npl_list' AND provision = 'yes' THEN 1 ELSE 0 END) AS lists_npl,
         max(CASE WHEN field = 'family_members' AND provision = 'yes' THEN 1 ELSE 0 END) AS lists_members
  FROM ($provisions) v GROUP BY source
),
-- surrogate ids (no DOCDB family) and the DOCDB family of each of their base numbers
surrogates AS (
  SELECT '~pub:' || p.publication_number AS raw_family_id, $base_pn AS base_number
  FROM publications p WHERE p.publication_number IS NOT NULL AND p.family_id IS NULL
  UNION ALL
  SELECT p.family_id AS raw_family_id, $base_pn AS base_number
  FROM publications p WHERE p.publication_number IS NOT NULL AND p.family_id LIKE '~%'
),
docdb_by_base AS (
  SELECT $base_pn AS base_number, min(p.family_id) AS docdb_family_id
  FROM publications p
  WHERE p.publication_number IS NOT NULL AND p.family_id NOT LIKE '~%'
    AND $base_pn IN (SELECT base_number FROM surrogates)
  GROUP BY $base_pn
),
surrogate_map AS (
  SELECT s.raw_family_id AS surrogate_id, min(d.docdb_family_id) AS docdb_family_id
  FROM surrogates s JOIN docdb_by_base d ON s.base_number = d.base_number
  GROUP BY s.raw_family_id
)
SELECT s.*, coalesce(m.docdb_family_id, s.raw_family_id) AS family_id
FROM (
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
) s LEFT JOIN surrogate_map m ON s.raw_family_id = m.surrogate_id
