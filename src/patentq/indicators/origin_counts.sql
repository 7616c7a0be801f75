-- the rest of origins.sql over the whole lake: the rows naming each country (a family's
-- document each count), which rank the countries (the most named get origin_bits.sql's bits)
SELECT country, count(*) AS n FROM clean GROUP BY country
