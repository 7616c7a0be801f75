-- Quality-adjusted families per group under one quality basis (the sensitivity table's --quality rows).
SELECT grp, sum(weight * top10) AS families FROM ($measured) m WHERE top10 IS NOT NULL GROUP BY grp
