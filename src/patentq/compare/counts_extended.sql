-- Families per group counting INPADOC extended families: one per extended family and group.
SELECT grp, sum(w) AS families
FROM (SELECT u.unit_id, a.grp, max(a.weight) AS w
      FROM ($attributed) a JOIN ($universe) u ON u.family_id = a.family_id
      GROUP BY u.unit_id, a.grp) e
GROUP BY grp
