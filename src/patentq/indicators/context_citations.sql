-- family_context_citations: the citations made by context documents, lifted to families as
-- family_citations.sql lifts the lake's own: one row per (citing family, cited lake family), the
-- cited family as family_citation_targets resolved it (targets.sql), dated by the earliest citing
-- document, with the earliest X/Y, examiner and applicant citation dates. A family citing itself
-- is left out. Where a context document belongs to a lake family that the lake's own lists
-- already show citing the same family (overlaps_lake), the pair is merged with
-- family_citations' row here (earliest dates), and forward.sql takes it from here only.
WITH cit AS (
  -- the cited side comes resolved from family_citation_targets (targets.sql resolves every
  -- citation of the lake, the context's included); the citing document's family is found here,
  -- with the context documents as the hash table (the citing number is not carried further)
  SELECT m.family_key AS citing_key, m.in_lake, m.publication_date AS citing_date, t.cited_key,
         t.xy, t.examiner, t.applicant
  FROM family_citation_targets t
  JOIN family_context_members m ON m.publication_number = t.citing_pn
  WHERE t.cited_key IS NOT NULL
),
pairs AS (
  SELECT citing_key, cited_key, in_lake, min(citing_date) AS citing_date,
         min(CASE WHEN xy = 1 THEN citing_date END) AS xy_date,
         min(CASE WHEN examiner = 1 THEN citing_date END) AS examiner_date,
         min(CASE WHEN applicant = 1 THEN citing_date END) AS applicant_date
  FROM cit WHERE citing_key <> cited_key
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
