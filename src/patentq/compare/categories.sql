-- Families per landscape category (model, mode, application ...) and group.
SELECT c.dimension, c.category, x.grp AS "group", sum(x.weight) AS families,
       sum(x.weight * x.top10) AS quality_adjusted_families
FROM cmp_x x JOIN $categories c ON c.family_id = x.family_id
WHERE x.grp IN ($groups)
GROUP BY c.dimension, c.category, x.grp ORDER BY c.dimension, c.category, x.grp
