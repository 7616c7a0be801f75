-- family_context_citations: the citations made by context documents, lifted to families as
-- family_citations.sql lifts the lake's own: one row per (citing family, cited lake family), the
-- cited number matched on its number without kind (the exact number decides where that base
-- number has several families), dated by the earliest citing document, with the earliest X/Y,
-- examiner and applicant citation dates. A family citing itself is left out. Where a context
-- document belongs to a lake family that the lake's own lists already show citing the same
-- family (overlaps_lake), the pair is merged with family_citations' row here (earliest dates),
-- and forward.sql takes it from here only.
WITH cit AS (
  -- the citing document's family found once, with the join that keeps the context's citations
  -- (the context documents as the hash table; the citing number is not carried further)
  SELECT m.family_key AS citing_key, m.in_lake, m.publication_date AS citing_date,
         c.cited_publication_number AS cited_pn,
         CASE WHEN c.category LIKE '%X%' OR c.category LIKE '%Y%' THEN 1 ELSE 0 END AS xy,
         $origin_flags
  FROM citations c
  JOIN family_context_members m ON m.publication_number = c.citing_publication_number
  WHERE c.cited_publication_number IS NOT NULL
),
-- only the bases the context cites are looked up (a semi-join: the lake's members are scanned)
cited_bases AS (SELECT $cited_base AS base_number FROM cit),
base_family AS (
  SELECT base_number, min(family_key) AS family_key, max(family_key) AS other_key
  FROM family_members WHERE base_number IN (SELECT base_number FROM cited_bases) GROUP BY base_number
),
exact AS (
  SELECT fm.publication_number, min(fm.family_key) AS family_key
  FROM family_members fm JOIN base_family b ON fm.base_number = b.base_number
  WHERE b.family_key <> b.other_key GROUP BY fm.publication_number
),
resolved AS (
  SELECT cit.citing_key, cit.in_lake, cit.citing_date, cit.xy, cit.examiner, cit.applicant,
         CASE WHEN bf.family_key <> bf.other_key THEN coalesce(ex.family_key, bf.family_key)
              ELSE bf.family_key END AS cited_key
  FROM cit
  JOIN base_family bf ON bf.base_number = $cited_base
  LEFT JOIN exact ex ON ex.publication_number = cit.cited_pn
),
pairs AS (
  SELECT citing_key, cited_key, in_lake, min(citing_date) AS citing_date,
         min(CASE WHEN xy = 1 THEN citing_date END) AS xy_date,
         min(CASE WHEN examiner = 1 THEN citing_date END) AS examiner_date,
         min(CASE WHEN applicant = 1 THEN citing_date END) AS applicant_date
  FROM resolved WHERE citing_key <> cited_key
  GROUP BY citing_key, cited_key, in_lake
)
SELECT p.citing_key, p.cited_key,
       least(p.citing_date, e.citing_date) AS citing_date, least(p.xy_date, e.xy_date) AS xy_date,
       least(p.examiner_date, e.examiner_date) AS examiner_date,
       least(p.applicant_date, e.applicant_date) AS applicant_date,
       p.in_lake, e.citing_key IS NOT NULL AS overlaps_lake
FROM pairs p
LEFT JOIN family_citations e
  ON p.in_lake AND e.link = 'family' AND e.citing_key = p.citing_key AND e.cited_key = p.cited_key
