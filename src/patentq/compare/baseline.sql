-- The population baseline's families per inventor country over the window's cohort years (the
-- whole-world citation work's table baseline_countries): RTA's denominator where present.
SELECT inventor_country AS grp, sum(families) AS families
FROM baseline_countries
WHERE inventor_country IS NOT NULL $where
GROUP BY inventor_country
