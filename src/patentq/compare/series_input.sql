-- The compared families' (family, group, year) rows for the time series' joint bootstrap.
SELECT family_id, grp, weight, year, complete, top10 FROM cmp_x WHERE year IS NOT NULL
