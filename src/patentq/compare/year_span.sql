-- The data's years on one basis, and how many families fall in the WIPO window
SELECT count(*) AS families, count(f.$year) AS with_year, min(f.$year) AS first, max(f.$year) AS last,
       count(*) FILTER (WHERE f.$year BETWEEN $lo AND $hi) AS in_window
FROM families f $landscape_join
