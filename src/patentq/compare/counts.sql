-- Families per group under one convention (the sensitivity table).
SELECT a.grp, sum(a.weight) AS families
FROM ($attributed) a JOIN ($universe) u ON u.family_id = a.family_id
GROUP BY a.grp
