-- family_origin_bits: per lake family and per context family, the countries the foreign test
-- compares, at three levels: 1 inventor countries, 2 applicant countries, 3 offices (publishing
-- offices; WO, EP and the other regional offices are not countries). The ORIGIN_BITS most frequent
-- countries of the lake are bits of one BIGINT per level (a family's set is the sum of its
-- distinct countries' powers of two), so two families share a country when their bits intersect;
-- the rarer ones stay a list (*_rare, NULL for nearly every family) compared by intersection.
-- A lake family's countries are those of families (its members'); a context family's those of
-- its documents.
-- Written in key ranges (each predicate TRUE for one part): this file's CTEs followed by
-- origin_bits.sql (the bits of one range, with the lake's ranking of the countries) or, once
-- over the whole lake before the parts, by origin_counts.sql (the rows naming each country).
-- A country named twice in one family (two documents of a context family) gives two rows:
-- origin_bits.sql ORs the bits, so repeats change nothing and no DISTINCT over every row is
-- needed (it was the step's largest cost: 88M rows at 10M families + 30M context documents).
WITH listed AS (
  SELECT family_key, 1 AS level, unnest(inventor_countries) AS country FROM families WHERE $key_range
  UNION ALL
  SELECT family_key, 2 AS level, unnest(applicant_countries) AS country FROM families WHERE $key_range
  UNION ALL
  SELECT family_key, 3 AS level, unnest(offices) AS country FROM families WHERE offices IS NOT NULL AND $key_range
  UNION ALL
  SELECT family_key, 1 AS level, unnest(inventor_countries) AS country FROM family_context_members WHERE NOT in_lake AND $key_range
  UNION ALL
  SELECT family_key, 2 AS level, unnest(applicant_countries) AS country FROM family_context_members WHERE NOT in_lake AND $key_range
  UNION ALL
  SELECT family_key, 3 AS level, country_code AS country FROM family_context_members WHERE NOT in_lake AND $key_range
),
clean AS (
  SELECT family_key, level, country FROM listed
  WHERE country IS NOT NULL AND country <> ''
    AND NOT (level = 3 AND country IN ('WO', 'EP', 'EA', 'AP', 'OA', 'GC'))
)
$then
