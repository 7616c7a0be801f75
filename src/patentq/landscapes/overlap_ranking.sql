-- families per group (whole counting) among the members of one side
SELECT x."group" AS grp, sum(x.weight) AS families
FROM ($attribution) x
WHERE x.family_id IN ($members) AND x."group" IS NOT NULL
GROUP BY x."group"
