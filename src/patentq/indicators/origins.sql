-- family_origin_bits: per lake family and per context family, the countries the foreign test
-- compares, at three levels: 1 inventor countries, 2 applicant countries, 3 offices (publishing
-- offices; WO, EP and the other regional offices are not countries). The $bits most frequent
-- countries of the lake are bits of one BIGINT per level (a family's set is the sum of its
-- distinct countries' powers of two), so two families share a country when their bits intersect;
-- the rarer ones stay a list (*_rare, NULL for nearly every family) compared by intersection.
-- A lake family's countries are those of families (its members'); a context family's those of
-- its documents.
WITH listed AS (
  SELECT family_key, 1 AS level, unnest(inventor_countries) AS country FROM families
  UNION ALL
  SELECT family_key, 2 AS level, unnest(applicant_countries) AS country FROM families
  UNION ALL
  SELECT family_key, 3 AS level, unnest(offices) AS country FROM families WHERE offices IS NOT NULL
  UNION ALL
  SELECT family_key, 1 AS level, unnest(inventor_countries) AS country FROM family_context_members WHERE NOT in_lake
  UNION ALL
  SELECT family_key, 2 AS level, unnest(applicant_countries) AS country FROM family_context_members WHERE NOT in_lake
  UNION ALL
  SELECT family_key, 3 AS level, country_code AS country FROM family_context_members WHERE NOT in_lake
),
clean AS (
  SELECT DISTINCT family_key, level, country FROM listed
  WHERE country IS NOT NULL AND country <> ''
    AND NOT (level = 3 AND country IN ('WO', 'EP', 'EA', 'AP', 'OA', 'GC'))
),
ranked AS (
  SELECT country, row_number() OVER (ORDER BY count(*) DESC, country) - 1 AS bit FROM clean GROUP BY country
),
placed AS (
  SELECT c.family_key, c.level, c.country, r.bit < $bits AS common,
         CASE WHEN r.bit < $bits THEN CAST(power(2, r.bit) AS BIGINT) ELSE 0 END AS value
  FROM clean c JOIN ranked r ON r.country = c.country
)
SELECT family_key,
       CAST(sum(CASE WHEN level = 1 THEN value ELSE 0 END) AS BIGINT) AS inv_bits,
       array_agg(country) FILTER (WHERE level = 1 AND NOT common) AS inv_rare,
       max(CASE WHEN level = 1 THEN 1 ELSE 0 END) AS has_inv,
       CAST(sum(CASE WHEN level = 2 THEN value ELSE 0 END) AS BIGINT) AS app_bits,
       array_agg(country) FILTER (WHERE level = 2 AND NOT common) AS app_rare,
       max(CASE WHEN level = 2 THEN 1 ELSE 0 END) AS has_app,
       CAST(sum(CASE WHEN level = 3 THEN value ELSE 0 END) AS BIGINT) AS off_bits,
       array_agg(country) FILTER (WHERE level = 3 AND NOT common) AS off_rare,
       max(CASE WHEN level = 3 THEN 1 ELSE 0 END) AS has_off
FROM placed GROUP BY family_key
