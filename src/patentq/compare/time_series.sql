-- Families, share filed abroad and quality-adjusted families per group and year.
SELECT grp AS "group", year, sum(weight) AS families,
       sum(weight * filed_abroad) / sum(CASE WHEN filed_abroad IS NOT NULL THEN weight END) AS share_filed_abroad,
       sum(weight * top10) AS quality_adjusted_families
FROM cmp_x WHERE grp IN ($groups) AND year IS NOT NULL
GROUP BY grp, year ORDER BY grp, year
