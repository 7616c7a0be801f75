-- Every family of the year window with its groups (landscape or not): RTA's population.
SELECT a.family_id, a.grp, a.weight
FROM ($attributed) a
JOIN ($universe) u ON u.family_id = a.family_id
