-- Families, share filed abroad and quality-adjusted families per group and year.
-- Sums of weights are exact (DECIMAL, then DOUBLE: sql.exact_sum), so every run prints the same floats.
SELECT grp AS "group", year, CAST(sum(CAST(weight AS DECIMAL(38, 18))) AS DOUBLE) AS families,
       CAST(sum(CAST(weight * filed_abroad AS DECIMAL(38, 18))) AS DOUBLE) / CAST(sum(CAST(CASE WHEN filed_abroad IS NOT NULL THEN weight END AS DECIMAL(38, 18))) AS DOUBLE) AS share_filed_abroad,
       CAST(sum(CAST(weight * top10 AS DECIMAL(38, 18))) AS DOUBLE) AS quality_adjusted_families
FROM cmp_x WHERE grp IN ($groups) AND year IS NOT NULL
GROUP BY grp, year ORDER BY grp, year
