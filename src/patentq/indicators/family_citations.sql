-- family_citations: every citation lifted to families, one row per (citing family, cited key).
-- Families are identified by family_key (the dense integer of family_members/families).
-- link says what was cited:
--   'family'  another family of the lake (cited_key): the cited number is matched on the number
--             without kind (US-8926509); where that base number belongs to several families,
--             the exact number with kind decides
--   'self'    the citing family itself (a member citing another member): never counted
--   'outside' a patent document not in the lake: cited_ref = its number without kind
--   'npl'     non-patent literature: cited_ref = the reference text
-- The cited side is resolved first, citation by citation (family_citation_targets, targets.sql).
-- A citing number is the citing publication itself; one without kind (as some exports and the
-- scale generator write it) is matched on the number without kind, in every family with a member
-- of that number, dated by that family's earliest such member.
-- One part of the table = the citing families of one key range ($key_range: TRUE for one part),
-- so each part groups whole families and writes them once; the citing numbers of the range are
-- the only text hash table. Within a part the rows are in cited-key order (none for one part),
-- so later steps read one range of citing or of cited families without reading the rest.
-- Pairs of families sharing an applicant are a separate small table (shared_applicants.sql), so
-- the 400M-row edge list is computed once and streamed to Parquet, never held for a second use.
-- One pass over ``citations`` thus serves forward, backward and NPL counts and the OECD measures.
-- examiner_date / applicant_date: the earliest citing date of the pair's citations the source
-- says an examiner (search reports included) / the applicant made (indicators.origin_flags_sql).
WITH citing_numbers AS (
  SELECT publication_number AS number, family_key, publication_date FROM family_members WHERE $key_range
  UNION ALL
  -- a base number is a citing number only where no publication has it as its number: those are
  -- the numbers without kind, the only publication numbers equal to their own base number
  SELECT base_number AS number, family_key, min(publication_date) AS publication_date FROM family_members
  WHERE $key_range
    AND base_number NOT IN (SELECT publication_number FROM family_members WHERE publication_number = base_number)
  GROUP BY base_number, family_key
),
-- grouped on integers and the reference; the link name is derived from the group afterwards
grouped AS (
  SELECT c.family_key AS citing_key, t.cited_key, t.cited_ref, t.npl, min(c.publication_date) AS citing_date,
         min(CASE WHEN t.xy = 1 THEN c.publication_date END) AS xy_date, max(t.xy) = 1 AS xy,
         min(CASE WHEN t.examiner = 1 THEN c.publication_date END) AS examiner_date,
         min(CASE WHEN t.applicant = 1 THEN c.publication_date END) AS applicant_date
  FROM family_citation_targets t JOIN citing_numbers c ON t.citing_pn = c.number
  GROUP BY c.family_key, t.cited_key, t.cited_ref, t.npl
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
