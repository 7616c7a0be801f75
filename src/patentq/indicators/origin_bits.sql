-- the rest of origins.sql: each country's bit (the lake's countries ranked by origin_counts.sql,
-- written as VALUES) and each family's bits, ORed (a country repeated in a family's rows sets its
-- bit once; the rare countries' lists may repeat one, which their intersection test ignores).
-- $rare_inv (_app, _off) is array_agg(country) FILTER (WHERE level = N AND NOT common), or a
-- NULL list where every country of the lake has a bit (write_origin_bits): no list state per family.
, ranked AS ($ranked),
placed AS (
  SELECT c.family_key, c.level, c.country, r.bit < $bits AS common,
         CASE WHEN r.bit < $bits THEN CAST(power(2, r.bit) AS BIGINT) ELSE 0 END AS value
  FROM clean c JOIN ranked r ON r.country = c.country
)
SELECT family_key,
       bit_or(CASE WHEN level = 1 THEN value ELSE 0 END) AS inv_bits,
       $rare_inv AS inv_rare,
       max(CASE WHEN level = 1 THEN 1 ELSE 0 END) AS has_inv,
       bit_or(CASE WHEN level = 2 THEN value ELSE 0 END) AS app_bits,
       $rare_app AS app_rare,
       max(CASE WHEN level = 2 THEN 1 ELSE 0 END) AS has_app,
       bit_or(CASE WHEN level = 3 THEN value ELSE 0 END) AS off_bits,
       $rare_off AS off_rare,
       max(CASE WHEN level = 3 THEN 1 ELSE 0 END) AS has_off
FROM placed GROUP BY family_key
