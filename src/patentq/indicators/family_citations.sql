-- family_citations: every citation lifted to families, one row per (citing family, cited key).
-- Families are identified by family_key (the dense integer of family_members/families).
-- link says what was cited:
--   'family'  another family of the lake (cited_key): the cited number is matched on the number
--             without kind (US-8926509); where that base number belongs to several families,
--             the exact number with kind decides
--   'self'    the citing family itself (a member citing another member): never counted
--   'outside' a patent document not in the lake: cited_ref = its number without kind
--   'npl'     non-patent literature: cited_ref = the reference text
-- A citing number is the citing publication itself; one without kind (as some exports and the
-- scale generator write it) is matched on the number without kind, in every family with a member
-- of that number, dated by that family's earliest such member.
-- Pairs of families sharing an applicant are a separate small table (shared.sql), so the
-- 100M-row edge list is computed once and streamed to Parquet, never held for a second use.
-- One pass over ``citations`` thus serves forward, backward and NPL counts and the OECD measures.
-- examiner_date / applicant_date: the earliest citing date of the pair's citations the source
-- says an examiner (search reports included) / the applicant made (indicators.origin_flags_sql).
WITH cit AS (
  SELECT citing_publication_number AS citing_pn, cited_publication_number AS cited_pn, npl_text,
         CASE WHEN category LIKE '%X%' OR category LIKE '%Y%' THEN 1 ELSE 0 END AS xy,
         $origin_flags
  FROM citations
  WHERE citing_publication_number IS NOT NULL AND (cited_publication_number IS NOT NULL OR npl_text IS NOT NULL)
),
base_family AS (
  SELECT base_number, min(family_key) AS family_key, max(family_key) AS other_key
  FROM family_members GROUP BY base_number
),
exact AS (
  SELECT fm.publication_number, min(fm.family_key) AS family_key
  FROM family_members fm JOIN base_family b ON fm.base_number = b.base_number
  WHERE b.family_key <> b.other_key GROUP BY fm.publication_number
),
citing_numbers AS (
  SELECT publication_number AS number, family_key, publication_date FROM family_members
  UNION ALL
  SELECT base_number AS number, family_key, min(publication_date) AS publication_date FROM family_members
  WHERE base_number NOT IN (SELECT publication_number FROM family_members)
  GROUP BY base_number, family_key
),
resolved AS (
  SELECT c.family_key AS citing_key, c.publication_date AS citing_date, cit.cited_pn, cit.npl_text, cit.xy,
         cit.examiner, cit.applicant,
         $cited_base AS cited_base,
         CASE WHEN bf.family_key <> bf.other_key THEN coalesce(ex.family_key, bf.family_key)
              ELSE bf.family_key END AS cited_key
  FROM cit
  JOIN citing_numbers c ON cit.citing_pn = c.number
  LEFT JOIN base_family bf ON $cited_base = bf.base_number
  LEFT JOIN exact ex ON cit.cited_pn = ex.publication_number
),
keyed AS (
  SELECT citing_key, citing_date, xy, examiner, applicant,
         CASE WHEN cited_pn IS NOT NULL THEN cited_key END AS cited_key,
         CASE WHEN cited_pn IS NULL THEN npl_text WHEN cited_key IS NULL THEN cited_base END AS cited_ref,
         CASE WHEN cited_pn IS NULL THEN 1 ELSE 0 END AS npl
  FROM resolved
),
-- grouped on integers and the reference; the link name is derived from the group afterwards
grouped AS (
  SELECT citing_key, cited_key, cited_ref, npl, min(citing_date) AS citing_date,
         min(CASE WHEN xy = 1 THEN citing_date END) AS xy_date, max(xy) = 1 AS xy,
         min(CASE WHEN examiner = 1 THEN citing_date END) AS examiner_date,
         min(CASE WHEN applicant = 1 THEN citing_date END) AS applicant_date
  FROM keyed GROUP BY citing_key, cited_key, cited_ref, npl
),
edges AS (
  SELECT citing_key, cited_key, cited_ref,
         CASE WHEN npl = 1 THEN 'npl' WHEN cited_key IS NULL THEN 'outside'
              WHEN cited_key = citing_key THEN 'self' ELSE 'family' END AS link,
         citing_date, xy_date, xy, examiner_date, applicant_date
  FROM grouped
)
SELECT citing_key, cited_key, cited_ref, link, citing_date, xy_date, xy, examiner_date, applicant_date FROM edges
