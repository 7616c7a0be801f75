-- family_citations: every citation lifted to families, one row per (citing family, cited key).
-- link says what the cited key is:
--   'family'  another family of the lake (cited number matched on the number without kind,
--             e.g. US-8926509; where that base number belongs to several families, the exact
--             number with kind decides)
--   'self'    the citing family itself (a member citing another member): never counted
--   'outside' a patent document not in the lake: cited key = '?' || number without kind
--   'npl'     non-patent literature: cited key = '#' || the reference text
-- So one pass over ``citations`` serves forward, backward and NPL counts and the OECD measures.
WITH cit AS (
  SELECT citing_publication_number AS citing_pn, cited_publication_number AS cited_pn, npl_text,
         CASE WHEN category LIKE '%X%' OR category LIKE '%Y%' THEN 1 ELSE 0 END AS xy
  FROM citations
  WHERE citing_publication_number IS NOT NULL AND (cited_publication_number IS NOT NULL OR npl_text IS NOT NULL)
),
citing AS (SELECT publication_number, min(family_id) AS family_id, min(publication_date) AS publication_date
           FROM family_members GROUP BY publication_number),
base_family AS (
  SELECT base_number, min(family_id) AS family_id, count(DISTINCT family_id) AS n_families
  FROM family_members GROUP BY base_number
),
exact AS (
  SELECT fm.publication_number, min(fm.family_id) AS family_id
  FROM family_members fm JOIN base_family b ON fm.base_number = b.base_number
  WHERE b.n_families > 1 GROUP BY fm.publication_number
),
resolved AS (
  SELECT c.family_id AS citing_family, c.publication_date AS citing_date, cit.cited_pn, cit.npl_text, cit.xy,
         {cited_base} AS cited_base,
         CASE WHEN bf.n_families > 1 THEN coalesce(ex.family_id, bf.family_id) ELSE bf.family_id END AS cited_family_id
  FROM cit
  JOIN citing c ON cit.citing_pn = c.publication_number
  LEFT JOIN base_family bf ON {cited_base} = bf.base_number
  LEFT JOIN exact ex ON cit.cited_pn = ex.publication_number
),
keyed AS (
  SELECT citing_family, citing_date, xy,
         CASE WHEN cited_pn IS NULL THEN '#' || npl_text
              WHEN cited_family_id IS NULL THEN '?' || cited_base ELSE cited_family_id END AS cited_family,
         CASE WHEN cited_pn IS NULL THEN 'npl' WHEN cited_family_id IS NULL THEN 'outside'
              WHEN cited_family_id = citing_family THEN 'self' ELSE 'family' END AS link
  FROM resolved
),
edges AS (
  SELECT citing_family, cited_family, link, min(citing_date) AS citing_date,
         min(CASE WHEN xy = 1 THEN citing_date END) AS xy_date, max(xy) = 1 AS xy
  FROM keyed GROUP BY citing_family, cited_family, link
),
applicants AS (
  SELECT DISTINCT fm.family_id, {applicant_key} AS applicant_key
  FROM parties p JOIN family_members fm ON p.publication_number = fm.publication_number
  {applicant_join}
  WHERE p.role = 'applicant' AND p.name IS NOT NULL AND trim(p.name) <> ''
),
shared AS (
  SELECT DISTINCT e.citing_family, e.cited_family
  FROM edges e
  JOIN applicants a ON a.family_id = e.citing_family
  JOIN applicants b ON b.family_id = e.cited_family AND a.applicant_key = b.applicant_key
  WHERE e.link = 'family'
)
SELECT e.citing_family, e.cited_family, e.link, e.citing_date, e.xy_date, e.xy,
       s.citing_family IS NOT NULL AS same_applicant
FROM edges e LEFT JOIN shared s ON e.citing_family = s.citing_family AND e.cited_family = s.cited_family
