-- the countries of origins.sql ranked by the families holding them (the bit each one gets)
SELECT country, row_number() OVER (ORDER BY count(*) DESC, country) - 1 AS bit FROM clean GROUP BY country
