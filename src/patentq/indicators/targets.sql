-- family_citation_targets: what each citation cites, resolved to a family key where the lake has
-- the cited document: the cited side of family_citations.sql and, for the context documents'
-- citations, of context_citations.sql. One row per citation:
--   citing_pn  the citing number as written (resolved to families by family_citations.sql)
--   cited_key  the lake family of the cited number, matched on the number without kind
--              (US-8926509); where that base number belongs to several families, the exact
--              number with kind decides; NULL for a document outside the lake and for NPL
--   cited_ref  NPL: the reference text; a patent document outside the lake: its base number
--   npl, xy    NPL flag; X/Y category flag; examiner, applicant: who made it (origin_flags_sql)
-- Written in slices of the cited base number (NPL rows sliced by their text): the sources cit
-- (target_citations.sql) and members (the members' numbers, sliced by base number) are one slice
-- each (parts.buckets; the whole inputs for one slice), so base_family and exact hold one slice
-- of the 130M member bases, not all of them, and no slice joins more than its share of the
-- citations.
WITH cit AS (SELECT * FROM $cit c),
-- (HAVING count(*) > 0 is always true: it tells the planner that this side is the smaller, so
-- the hash table holds the slice's member bases, not its citations with their text columns)
base_family AS (
  SELECT base_number, min(family_key) AS family_key, max(family_key) AS other_key
  FROM $members m GROUP BY base_number HAVING count(*) > 0
),
-- the members whose base number is in several families, by their exact number; grouped again
-- here rather than read from base_family, which a second reader would materialise
exact AS (
  SELECT publication_number, min(family_key) AS family_key
  FROM $members m
  WHERE base_number IN (
    SELECT base_number FROM $members m2
    GROUP BY base_number HAVING min(family_key) <> max(family_key))
  GROUP BY publication_number
),
resolved AS (
  SELECT cit.citing_pn, cit.cited_pn, cit.npl_text, cit.xy, cit.examiner, cit.applicant, cit.cited_base,
         CASE WHEN bf.family_key <> bf.other_key THEN coalesce(ex.family_key, bf.family_key)
              ELSE bf.family_key END AS cited_key
  FROM cit
  LEFT JOIN base_family bf ON cit.cited_base = bf.base_number
  LEFT JOIN exact ex ON cit.cited_pn = ex.publication_number
)
SELECT citing_pn,
       CASE WHEN cited_pn IS NOT NULL THEN cited_key END AS cited_key,
       CASE WHEN cited_pn IS NULL THEN npl_text WHEN cited_key IS NULL THEN cited_base END AS cited_ref,
       CASE WHEN cited_pn IS NULL THEN 1 ELSE 0 END AS npl,
       xy, examiner, applicant
FROM resolved
