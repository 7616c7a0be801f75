-- Per cohort and value of $column: how many families hold it. The population's histogram (the
-- baselines' $measure rows) for a cohort the lake holds one for, else the lake's own families.
-- In a population cohort the lake's values join with no weight (n = 0), so every lake family
-- finds its value's place even where the population's value differs in the last bit.
-- population = 1 where the histogram is the population's. Baselines are read only when
-- $population. (No WITH: the cohort pass nests this once per measure, and Spark refuses
-- repeated CTE names.)
SELECT cohort_y, cohort_f, v, sum(n) AS n, max(population) AS population
FROM (
  SELECT coalesce(cohort_year, -1) AS cohort_y, coalesce(cohort_field, -1) AS cohort_f, value AS v,
         families AS n, 1 AS population
  FROM baselines WHERE $population AND measure = $measure AND value IS NOT NULL AND families > 0
  UNION ALL
  SELECT l.cohort_y, l.cohort_f, l.v, CASE WHEN c.cohort_y IS NULL THEN l.n ELSE 0 END AS n,
         CASE WHEN c.cohort_y IS NULL THEN 0 ELSE 1 END AS population
  FROM (SELECT cohort_y, cohort_f, CAST($column AS DOUBLE) AS v, count(*) AS n
        FROM ind_cohort_input WHERE $column IS NOT NULL GROUP BY cohort_y, cohort_f, $column) l
  LEFT JOIN (SELECT DISTINCT coalesce(cohort_year, -1) AS cohort_y, coalesce(cohort_field, -1) AS cohort_f
             FROM baselines WHERE $population AND measure = $measure AND value IS NOT NULL AND families > 0) c
    ON c.cohort_y = l.cohort_y AND c.cohort_f = l.cohort_f
) x
GROUP BY cohort_y, cohort_f, v
