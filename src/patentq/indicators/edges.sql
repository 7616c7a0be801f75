-- family_citations: citations lifted to families. One row per (citing family, cited family).
-- A cited number is matched to a lake publication on the full number (US-8926509-B2), else on
-- the number without kind (US-8926509). Citations to documents outside the lake keep
-- ``'?' || number without kind`` as cited_family and resolved = false: they count as backward
-- citations but have no family, classes or dates. Self-family citations (a family member
-- citing another member) are dropped here, so no indicator can count them.
WITH cit AS (
  SELECT citing_publication_number AS citing_pn, cited_publication_number AS cited_pn, category
  FROM citations WHERE cited_publication_number IS NOT NULL AND citing_publication_number IS NOT NULL
),
base_family AS (SELECT base_number, min(family_id) AS family_id FROM family_members GROUP BY base_number),
resolved AS (
  SELECT cf.family_id AS citing_family, cf.publication_date AS citing_date,
         coalesce(fm.family_id, bf.family_id) AS cited_family_id,
         {cited_base} AS cited_base,
         CASE WHEN cit.category LIKE '%X%' OR cit.category LIKE '%Y%' THEN 1 ELSE 0 END AS xy
  FROM cit
  JOIN family_members cf ON cit.citing_pn = cf.publication_number
  LEFT JOIN family_members fm ON cit.cited_pn = fm.publication_number
  LEFT JOIN base_family bf ON {cited_base} = bf.base_number
),
edges AS (
  SELECT citing_family, coalesce(cited_family_id, '?' || cited_base) AS cited_family,
         cited_family_id IS NOT NULL AS resolved,
         min(citing_date) AS citing_date,
         min(CASE WHEN xy = 1 THEN citing_date END) AS xy_date,
         max(xy) = 1 AS xy
  FROM resolved
  WHERE cited_family_id IS NULL OR cited_family_id <> citing_family
  GROUP BY citing_family, coalesce(cited_family_id, '?' || cited_base), cited_family_id IS NOT NULL
),
applicants AS (
  SELECT DISTINCT fm.family_id, {applicant_key} AS applicant_key
  FROM parties p JOIN family_members fm ON p.publication_number = fm.publication_number
  {applicant_join}
  WHERE p.role = 'applicant' AND p.name IS NOT NULL AND trim(p.name) <> ''
),
shared AS (
  SELECT e.citing_family, e.cited_family
  FROM edges e
  JOIN applicants a ON a.family_id = e.citing_family
  JOIN applicants b ON b.family_id = e.cited_family AND a.applicant_key = b.applicant_key
  GROUP BY e.citing_family, e.cited_family
)
SELECT e.citing_family, e.cited_family, e.resolved, e.citing_date, e.xy_date, e.xy,
       s.citing_family IS NOT NULL AS same_applicant
FROM edges e LEFT JOIN shared s ON e.citing_family = s.citing_family AND e.cited_family = s.cited_family
