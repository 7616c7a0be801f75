-- the cohort pass's output (the select of cohort.sql): one row per family
SELECT $base_cols,
       CASE WHEN population_fwd_cits_5 = 1 THEN n_fwd_cits_5 ELSE cohort_families END AS cohort_size,
       mean_fwd_cits_5 AS cohort_mean_fwd_cits_5,
       CASE WHEN fwd_cits_5 IS NULL OR mean_fwd_cits_5 = 0 THEN NULL
            ELSE fwd_cits_5 / mean_fwd_cits_5 END AS fwd_cits_5_rel,
       CASE WHEN fwd_cits_5 IS NULL THEN NULL ELSE 100.0 * below_fwd_cits_5 / n_fwd_cits_5 END AS fwd_cits_5_pct,
       CASE WHEN fwd_cits_5 IS NULL THEN NULL
            ELSE fwd_cits_5 > 0 AND above_fwd_cits_5 < 0.10 * n_fwd_cits_5 END AS top10_cohort,
       CASE WHEN fwd_cits_5 IS NULL THEN NULL
            ELSE fwd_cits_5 > 0 AND above_fwd_cits_5 < 0.01 * n_fwd_cits_5 END AS breakthrough,
       CASE WHEN fwd_cits_5_foreign IS NULL OR mean_fwd_cits_5_foreign = 0 THEN NULL
            ELSE fwd_cits_5_foreign / mean_fwd_cits_5_foreign END AS fwd_cits_5_foreign_rel,
       CASE WHEN fwd_cits_5_foreign IS NULL THEN NULL
            ELSE fwd_cits_5_foreign > 0 AND above_fwd_cits_5_foreign < 0.10 * n_fwd_cits_5_foreign END
         AS top10_cohort_foreign,
       CASE WHEN fwd_cits_5_xapp IS NULL OR mean_fwd_cits_5_xapp = 0 THEN NULL
            ELSE fwd_cits_5_xapp / mean_fwd_cits_5_xapp END AS fwd_cits_5_xapp_rel,
       CASE WHEN fwd_cits_5_xapp IS NULL THEN NULL
            ELSE fwd_cits_5_xapp > 0 AND above_fwd_cits_5_xapp < 0.10 * n_fwd_cits_5_xapp END AS top10_cohort_xapp,
       CASE WHEN population_fwd_cits_5 = 1 THEN 'population' ELSE 'lake' END AS cohort_basis,
       fwd_cits_5_norm, family_size_norm, claims_norm, generality_norm, bwd_cits_norm, grant_lag_index,
       quality_index_4, quality_index_4_components, quality_index_6, quality_index_6_components,
       CASE WHEN quality_index_4 IS NULL THEN NULL
            ELSE quality_index_4 > 0 AND q4.n_above < 0.10 * q4.n_known END AS top10_cohort_qi4,
       CASE WHEN quality_index_6 IS NULL THEN NULL
            ELSE quality_index_6 > 0 AND q6.n_above < 0.10 * q6.n_known END AS top10_cohort_qi6
FROM scored s
LEFT JOIN family_ind_qi_ranks q4
  ON q4.idx = 4 AND q4.cohort_y = s.cohort_y AND q4.cohort_f = s.cohort_f AND q4.v = s.quality_index_4
LEFT JOIN family_ind_qi_ranks q6
  ON q6.idx = 6 AND q6.cohort_y = s.cohort_y AND q6.cohort_f = s.cohort_f AND q6.v = s.quality_index_6
