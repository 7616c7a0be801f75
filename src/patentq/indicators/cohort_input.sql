-- The cohort pass's input: the written family_indicator_base, with cohort keys coalesced to -1
-- so unclassified or undated families join a cohort of their own.
SELECT *, coalesce(cohort_year, -1) AS cohort_y, coalesce(cohort_field, -1) AS cohort_f
FROM family_indicator_base
