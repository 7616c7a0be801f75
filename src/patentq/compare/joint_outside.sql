-- The window's families outside the landscape (RTA's rest of the population), as patterns: the
-- families with the same groups and weights are exchangeable, so each pattern is one family's
-- rows with how many families share it. Memory on the Python side is then bounded by the
-- patterns, not the families (30M families would be tens of millions of rows).
-- A family's key is two sums of row hashes and its row count (order-free, like the set of rows);
-- JointCounts.build hashes the representatives again, with the flags, to form the patterns.
WITH keyed AS (
    SELECT p.family_id,
           sum(hash(p.grp, p.weight)) AS k1,
           sum(hash(p.weight, p.grp, 'patentq')) AS k2,
           count(*) AS k3
    FROM cmp_pop p
    WHERE NOT EXISTS (SELECT 1 FROM cmp_x x WHERE x.family_id = p.family_id)
    GROUP BY p.family_id
), patterns AS (
    SELECT min(family_id) AS family_id, count(*) AS families
    FROM keyed
    GROUP BY k1, k2, k3
)
SELECT p.family_id, p.grp, p.weight, t.families
FROM cmp_pop p
JOIN patterns t ON t.family_id = p.family_id
