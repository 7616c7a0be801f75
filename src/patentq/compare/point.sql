-- Per group: families (sum of weights), the quality-adjusted count and each rate measure.
SELECT grp, sum(weight) AS families, count(*) AS n_families,
  coalesce(sum(weight * top10), 0) AS qa_families,
  coalesce(sum(weight * top1), 0) AS top1_families,
  sum(CASE WHEN complete = 1 THEN weight ELSE 0 END) AS families_complete,
  $rates
FROM $view GROUP BY grp
