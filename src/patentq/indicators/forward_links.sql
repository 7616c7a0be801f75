-- Every forward link with the citing family's labels, for one range of citing families
-- (its predicates TRUE for one part): the first half of forward.sql. Written into buckets of cited
-- families (indicators.write_groups), so each range of citations.sql reads the links citing its
-- families with the citing side's labels already attached, and no range builds a hash table of
-- every family's origin bits (at 100M families that table, built once per range, was the step).
-- The lake's family links (family_citations) and the citing families outside the lake
-- (family_context_citations; a pair both give comes from there, merged); context = 1 for a
-- citing family the lake's own lists do not show. Labels:
--   shared     the two families share an applicant group (family_shared_applicants for the lake's
--              links, family_context_shared for the context's);
--   inv, app, off: the citing family's country bits at each level (origins.sql), NULL when it has
--              no country at that level; *_rare its countries without a bit, where some family of
--              the lake has any (else forward.sql takes them as NULL: writing three lists of NULLs
--              was a fifth of the cost of writing the links).
-- family_citations is written in ranges of citing families, so a range reads its own files.
WITH fwd_overlap AS (SELECT citing_key, cited_key FROM family_context_citations WHERE overlaps_lake AND $citing_range),
fwd_lake AS (
  SELECT e.citing_key, e.cited_key, e.citing_date, e.xy_date, e.examiner_date, e.applicant_date, 0 AS context
  FROM family_citations e
  LEFT JOIN fwd_overlap o ON o.citing_key = e.citing_key AND o.cited_key = e.cited_key
  WHERE e.link = 'family' AND o.citing_key IS NULL AND $citing_range_e
),
fwd_links AS (
  SELECT * FROM fwd_lake
  UNION ALL
  SELECT citing_key, cited_key, citing_date, xy_date, examiner_date, applicant_date,
         CASE WHEN overlaps_lake THEN 0 ELSE 1 END AS context
  FROM family_context_citations WHERE $citing_range
)
SELECT l.citing_key, l.cited_key, l.citing_date, l.xy_date, l.examiner_date, l.applicant_date, l.context,
       s.citing_key IS NOT NULL OR cs.citing_key IS NOT NULL AS shared,
       CASE WHEN a.has_inv = 1 THEN a.inv_bits END AS inv,
       CASE WHEN a.has_app = 1 THEN a.app_bits END AS app,
       CASE WHEN a.has_off = 1 THEN a.off_bits END AS off$rare
FROM fwd_links l
LEFT JOIN (SELECT * FROM family_shared_applicants WHERE $citing_range) s ON s.citing_key = l.citing_key AND s.cited_key = l.cited_key
LEFT JOIN (SELECT * FROM family_context_shared WHERE $citing_range) cs ON cs.citing_key = l.citing_key AND cs.cited_key = l.cited_key
LEFT JOIN (SELECT * FROM family_origin_bits WHERE $citing_range_f) a ON a.family_key = l.citing_key
