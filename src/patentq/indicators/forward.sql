-- Every forward link with its labels (a subquery of citations.sql), for one range of cited
-- families (its predicates TRUE for one part), read from that range's bucket of forward_links.sql
-- (the links citing the range's families, with the citing side's labels). Added here:
--   is_foreign the families share no inventor country, where both have some; else no applicant
--              country; else no office (origins.sql); NULL when neither level is known for both;
--   end_3, end_5, end_7: the last day of the cited family's 3/5/7-year citation windows (from its
--              first publication; NULL without one).
-- xy_date, examiner_date, applicant_date (the earliest citation of that kind), context and shared
-- come from forward_links.sql.
SELECT l.citing_key, l.cited_key, b.end_3, b.end_5, b.end_7, l.citing_date, l.xy_date, l.examiner_date, l.applicant_date,
       l.context, l.shared,
       CASE WHEN l.inv IS NOT NULL AND coalesce(b.has_inv, 0) = 1
              THEN CASE WHEN (l.inv & b.inv_bits) <> 0 THEN false
                        WHEN $inv_rare IS NULL OR b.inv_rare IS NULL THEN true
                        ELSE array_length(array_intersect($inv_rare, b.inv_rare)) = 0 END
            WHEN l.app IS NOT NULL AND coalesce(b.has_app, 0) = 1
              THEN CASE WHEN (l.app & b.app_bits) <> 0 THEN false
                        WHEN $app_rare IS NULL OR b.app_rare IS NULL THEN true
                        ELSE array_length(array_intersect($app_rare, b.app_rare)) = 0 END
            WHEN l.off IS NOT NULL AND coalesce(b.has_off, 0) = 1
              THEN CASE WHEN (l.off & b.off_bits) <> 0 THEN false
                        WHEN $off_rare IS NULL OR b.off_rare IS NULL THEN true
                        ELSE array_length(array_intersect($off_rare, b.off_rare)) = 0 END
       END AS is_foreign
FROM $links l
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
