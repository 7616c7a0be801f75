-- Families per landscape category (model, mode, application ...) and group.
-- Sums of weights are exact (DECIMAL, then DOUBLE: sql.exact_sum), so every run prints the same floats.
SELECT c.dimension, c.category, x.grp AS "group", CAST(sum(CAST(x.weight AS DECIMAL(38, 18))) AS DOUBLE) AS families,
       CAST(sum(CAST(x.weight * x.top10 AS DECIMAL(38, 18))) AS DOUBLE) AS quality_adjusted_families
FROM cmp_x x JOIN $categories c ON c.family_id = x.family_id
WHERE x.grp IN ($groups)
GROUP BY c.dimension, c.category, x.grp ORDER BY c.dimension, c.category, x.grp
