-- The window's families outside the landscape, with their groups: RTA's rest of the population.
SELECT p.family_id, p.grp, p.weight
FROM cmp_pop p
WHERE NOT EXISTS (SELECT 1 FROM cmp_x x WHERE x.family_id = p.family_id)
