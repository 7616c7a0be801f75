-- The compared families' (family, group) rows with the flags the joint bootstrap resamples.
SELECT family_id, grp, weight, frac, complete, top10, top1 FROM cmp_x
