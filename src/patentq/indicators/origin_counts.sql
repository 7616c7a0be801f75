-- the rest of origins.sql for one key range: families per country (summed over the ranges and
-- ranked as origin_ranks.sql ranks them)
SELECT country, count(*) AS n FROM clean GROUP BY country
