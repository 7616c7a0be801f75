-- Families per group counting INPADOC extended families: one per extended family and group.
-- Sums of weights are exact (DECIMAL, then DOUBLE: sql.exact_sum), so every run prints the same floats.
SELECT grp, CAST(sum(CAST(w AS DECIMAL(38, 18))) AS DOUBLE) AS families
FROM (SELECT u.unit_id, a.grp, max(a.weight) AS w
      FROM ($attributed) a JOIN ($universe) u ON u.family_id = a.family_id
      GROUP BY u.unit_id, a.grp) e
GROUP BY grp
