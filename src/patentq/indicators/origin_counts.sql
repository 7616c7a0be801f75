-- the rest of origins.sql over the whole lake: the rows naming each country (each of a
-- family's documents counts), which rank the countries (the most named get origin_bits.sql's bits)
SELECT country, count(*) AS n FROM clean GROUP BY country
