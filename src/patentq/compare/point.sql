-- Per group: families (sum of weights), the quality-adjusted count and each rate measure.
-- Sums of weights are exact (DECIMAL, then DOUBLE: sql.exact_sum), so every run prints the same floats.
SELECT grp, CAST(sum(CAST(weight AS DECIMAL(38, 18))) AS DOUBLE) AS families, count(*) AS n_families,
  coalesce(CAST(sum(CAST(weight * top10 AS DECIMAL(38, 18))) AS DOUBLE), 0) AS qa_families,
  coalesce(CAST(sum(CAST(weight * top1 AS DECIMAL(38, 18))) AS DOUBLE), 0) AS top1_families,
  CAST(sum(CAST(CASE WHEN complete = 1 THEN weight ELSE 0 END AS DECIMAL(38, 18))) AS DOUBLE) AS families_complete,
  $rates
FROM $view GROUP BY grp
