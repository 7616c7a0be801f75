-- family_citations: every citation lifted to families, one row per (citing family, cited key).
-- Families are identified by family_key (the dense integer of family_members/families).
-- link says what was cited:
--   'family'  another family of the lake (cited_key): the cited number is matched on the number
--             without kind (US-8926509); where that base number belongs to several families,
--             the exact number with kind decides
--   'self'    the citing family itself (a member citing another member): never counted
--   'outside' a patent document not in the lake: cited_ref = its number without kind
--   'npl'     non-patent literature: cited_ref = the reference text
-- The cited side is resolved first, citation by citation (family_citation_targets, targets.sql),
-- then the citing side (citation_pairs.sql: the source pairs, one row per citation and citing
-- family). One part of the table = the citing families of one key range (the pairs bucketed by
-- citing key, parts.buckets; all pairs for one part), so each part groups whole families and
-- writes them once. Within a part the rows are in cited-key order (none for one part), so later
-- steps read one range of citing or of cited families without reading the rest.
-- Pairs of families sharing an applicant are a separate small table (shared_applicants.sql), so
-- the 400M-row edge list is computed once and streamed to Parquet, never held for a second use.
-- One pass over ``citations`` thus serves forward, backward and NPL counts and the OECD measures.
-- examiner_date / applicant_date: the earliest citing date of the pair's citations the source
-- says an examiner (search reports included) / the applicant made (indicators.origin_flags_sql).
-- grouped on integers and the reference; the link name is derived from the group afterwards
WITH grouped AS (
  SELECT citing_key, cited_key, cited_ref, npl, min(citing_date) AS citing_date,
         min(CASE WHEN xy = 1 THEN citing_date END) AS xy_date, max(xy) = 1 AS xy,
         min(CASE WHEN examiner = 1 THEN citing_date END) AS examiner_date,
         min(CASE WHEN applicant = 1 THEN citing_date END) AS applicant_date
  FROM $pairs p
  GROUP BY citing_key, cited_key, cited_ref, npl
),
edges AS (
  SELECT citing_key, cited_key, cited_ref,
         CASE WHEN npl = 1 THEN 'npl' WHEN cited_key IS NULL THEN 'outside'
              WHEN cited_key = citing_key THEN 'self' ELSE 'family' END AS link,
         citing_date, xy_date, xy, examiner_date, applicant_date
  FROM grouped
)
SELECT citing_key, cited_key, cited_ref, link, citing_date, xy_date, xy, examiner_date, applicant_date FROM edges
$order
