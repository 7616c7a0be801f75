-- Cohort-relative measures. Cohort = priority year x WIPO technology field: the cohort's whole
-- population where the lake holds its baseline (cohort_basis 'population': the baselines'
-- histograms, cohort_values.sql), else every family of the lake (also when the output is
-- restricted to a landscape).
--   fwd_cits_5_rel  = fwd_cits_5 / cohort mean of fwd_cits_5 (NULL when the mean is 0); the same
--                     for fwd_cits_5_foreign and fwd_cits_5_xapp (_rel) against their own means
--   fwd_cits_5_pct  = percent of the cohort's families with strictly fewer 5-year citations
--   top10_cohort    = fewer than 10% of the cohort has more citations (and the family has some)
--   breakthrough    = the same for the top 1% (OECD "breakthrough inventions")
--   top10_cohort_foreign / _xapp = top10_cohort by the foreign / non-self count
-- Composite quality indices (Squicciarini, Dernis & Criscuolo 2013, section on composite
-- indices): each component is trimmed at its cohort's 1st and 99th percentile (values outside
-- are set to the bound) and divided by the cohort maximum of the trimmed values (the 99th
-- percentile), so it lies in [0, 1]; grant lag enters as 1 - normalised lag (faster = better).
--   quality_index_4 = mean(forward citations 5y, family size, claims, generality)
--   quality_index_6 = mean(the four + backward citations + grant lag index)
-- A component the lake cannot know (claims absent from the source, no citation lists, an
-- uncited family's generality) is left out of the mean; quality_index_*_components says how
-- many entered, and an index resting on fewer than 3 of 4 (QI4) or 4 of 6 (QI6) is NULL.
-- Performance: nothing here sorts the families. Each component is counted per (cohort, value)
-- with a GROUP BY; the cumulative counts over these few distinct values give the percentile
-- bounds (one row per cohort) and, for fwd_cits_5, how many families lie below and above each
-- value. Cohort keys are coalesced to -1 so unclassified families join their own cohort.
-- Input: the view ind_cohort_input over the written family_indicator_base (ind_base plus
-- cohort_y, cohort_f: cohort_input.sql), scanned once per use rather than held in memory.
WITH $value_ctes,
cohorts AS (
  SELECT cohort_y, cohort_f, count(*) AS cohort_families FROM ind_cohort_input b GROUP BY cohort_y, cohort_f
),
bounds AS (
  SELECT c.cohort_y, c.cohort_f, c.cohort_families,
$stat_cols,
$bound_cols
  FROM cohorts c
$stat_joins
$bound_joins
),
placed AS (
  SELECT b.*, x.cohort_families,
$bound_refs,
$rank_cols
  FROM ind_cohort_input b
  JOIN bounds x ON b.cohort_y = x.cohort_y AND b.cohort_f = x.cohort_f
$rank_joins
),
normed AS (
  SELECT r.*,
$norm_cols
  FROM placed r
),
-- the composite indices, here so that the second pass (cohort_qi.sql) ranks the same values
scored AS (
  SELECT n.*,
         CASE WHEN $n4 >= 3 THEN (coalesce(fwd_cits_5_norm, 0) + coalesce(family_size_norm, 0)
            + coalesce(claims_norm, 0) + coalesce(generality_norm, 0)) / $n4 END AS quality_index_4,
         $n4 AS quality_index_4_components,
         CASE WHEN $n6 >= 4 THEN (coalesce(fwd_cits_5_norm, 0) + coalesce(family_size_norm, 0)
            + coalesce(claims_norm, 0) + coalesce(generality_norm, 0) + coalesce(bwd_cits_norm, 0)
            + coalesce(grant_lag_index, 0)) / $n6 END AS quality_index_6,
         $n6 AS quality_index_6_components
  FROM normed n
)
$select
