-- The first select of cohort.sql (written as family_ind_qi_ranks): per cohort and value of each
-- composite index, how many of the lake's families of the cohort have it known (n_known) and how
-- many a higher value (n_above). No population holds the composite's distribution (its
-- components are normalised against the population where the lake holds baselines, but a family's
-- index needs all its components together), so top10_cohort_qi4/_qi6 rank among the lake's
-- families of the cohort.
SELECT cohort_y, cohort_f, idx, v,
       CAST(sum(n) OVER (PARTITION BY cohort_y, cohort_f, idx)
            - sum(n) OVER (PARTITION BY cohort_y, cohort_f, idx ORDER BY v) AS BIGINT) AS n_above,
       CAST(sum(n) OVER (PARTITION BY cohort_y, cohort_f, idx) AS BIGINT) AS n_known
FROM (
  SELECT cohort_y, cohort_f, 4 AS idx, quality_index_4 AS v, count(*) AS n
  FROM scored WHERE quality_index_4 IS NOT NULL GROUP BY cohort_y, cohort_f, quality_index_4
  UNION ALL
  SELECT cohort_y, cohort_f, 6 AS idx, quality_index_6 AS v, count(*) AS n
  FROM scored WHERE quality_index_6 IS NOT NULL GROUP BY cohort_y, cohort_f, quality_index_6
) t
