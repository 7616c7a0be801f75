-- Every forward citation link with its origin (a subquery of citations.sql), for one range of
-- cited families ($cited_range, TRUE for one part: the links, the cited side's labels). Its CTE
-- names are its own (fwd_*): transpiled for Spark, they join the WITH of citations.sql.
-- The lake's family links (family_citations) and the citing families outside the lake
-- (family_context_citations; a pair both give comes from there, merged); context = 1 for a
-- citing family the lake's own lists do not show. Labels:
--   shared     the two families share an applicant group (family_shared_applicants for the lake's
--              links, family_context_shared for the context's): fwd_cits_5_xapp leaves them out;
--   is_foreign the families share no inventor country, where both have some; else no applicant
--              country; else no office (origins.sql); NULL when neither level is known for both;
--   xy_date, examiner_date, applicant_date: the earliest citation of that kind;
--   end_3, end_5, end_7: the last day of the cited family's 3/5/7-year citation windows (from its
--              first publication; NULL without one).
WITH fwd_overlap AS (SELECT citing_key, cited_key FROM family_context_citations WHERE overlaps_lake AND $cited_range),
fwd_lake AS (
  SELECT e.citing_key, e.cited_key, e.citing_date, e.xy_date, e.examiner_date, e.applicant_date, 0 AS context
  FROM family_citations e
  LEFT JOIN fwd_overlap o ON o.citing_key = e.citing_key AND o.cited_key = e.cited_key
  WHERE e.link = 'family' AND o.citing_key IS NULL AND $cited_range_e
),
fwd_links AS (
  SELECT * FROM fwd_lake
  UNION ALL
  SELECT citing_key, cited_key, citing_date, xy_date, examiner_date, applicant_date,
         CASE WHEN overlaps_lake THEN 0 ELSE 1 END AS context
  FROM family_context_citations WHERE $cited_range
)
SELECT l.citing_key, l.cited_key, b.end_3, b.end_5, b.end_7, l.citing_date, l.xy_date, l.examiner_date, l.applicant_date, l.context,
       s.citing_key IS NOT NULL OR cs.citing_key IS NOT NULL AS shared,
       CASE WHEN coalesce(a.has_inv, 0) = 1 AND coalesce(b.has_inv, 0) = 1
              THEN CASE WHEN (a.inv_bits & b.inv_bits) <> 0 THEN false
                        WHEN a.inv_rare IS NULL OR b.inv_rare IS NULL THEN true
                        ELSE array_length(array_intersect(a.inv_rare, b.inv_rare)) = 0 END
            WHEN coalesce(a.has_app, 0) = 1 AND coalesce(b.has_app, 0) = 1
              THEN CASE WHEN (a.app_bits & b.app_bits) <> 0 THEN false
                        WHEN a.app_rare IS NULL OR b.app_rare IS NULL THEN true
                        ELSE array_length(array_intersect(a.app_rare, b.app_rare)) = 0 END
            WHEN coalesce(a.has_off, 0) = 1 AND coalesce(b.has_off, 0) = 1
              THEN CASE WHEN (a.off_bits & b.off_bits) <> 0 THEN false
                        WHEN a.off_rare IS NULL OR b.off_rare IS NULL THEN true
                        ELSE array_length(array_intersect(a.off_rare, b.off_rare)) = 0 END
       END AS is_foreign
FROM fwd_links l
LEFT JOIN (SELECT * FROM family_shared_applicants WHERE $cited_range) s ON s.citing_key = l.citing_key AND s.cited_key = l.cited_key
LEFT JOIN (SELECT * FROM family_context_shared WHERE $cited_range) cs ON cs.citing_key = l.citing_key AND cs.cited_key = l.cited_key
LEFT JOIN family_origin_bits a ON a.family_key = l.citing_key
-- the cited family: its labels and its citation windows in one build side (one join of the links,
-- not two). Every cited key is a family of the lake, so LEFT keeps every link as an inner join
-- would; an inner join let DuckDB take the links for the smaller side and build its hash table
-- on them (and spill).
LEFT JOIN (
  SELECT f.family_key, f.end_3, f.end_5, f.end_7, ob.has_inv, ob.inv_bits, ob.inv_rare, ob.has_app, ob.app_bits,
         ob.app_rare, ob.has_off, ob.off_bits, ob.off_rare
  FROM (SELECT family_key,
               CAST(first_publication_date + INTERVAL 3 YEAR AS DATE) AS end_3,
               CAST(first_publication_date + INTERVAL 5 YEAR AS DATE) AS end_5,
               CAST(first_publication_date + INTERVAL 7 YEAR AS DATE) AS end_7
        FROM families WHERE $bits_range) f
  LEFT JOIN (SELECT * FROM family_origin_bits WHERE $bits_range) ob ON ob.family_key = f.family_key
) b ON b.family_key = l.cited_key
