-- Families per group under one convention (the sensitivity table).
-- Sums of weights are exact (DECIMAL, then DOUBLE: sql.exact_sum), so every run prints the same floats.
SELECT a.grp, CAST(sum(CAST(a.weight AS DECIMAL(38, 18))) AS DOUBLE) AS families
FROM ($attributed) a JOIN ($universe) u ON u.family_id = a.family_id
GROUP BY a.grp
