-- Applicants' harmonised groups (harmonize.party_groups_sql): $weight per distinct group of the family.
WITH applicants AS (
  SELECT DISTINCT m.family_id, pg.group_name AS grp
  FROM ($party_groups) pg
  JOIN family_members m ON m.publication_number = pg.publication_number
),
applicants_n AS (SELECT family_id, count(*) AS n FROM applicants GROUP BY family_id)
SELECT f.family_id, coalesce(a.grp, 'UNKNOWN') AS "group",
       CASE WHEN a.grp IS NULL THEN CAST(1 AS DOUBLE) ELSE $weight END AS weight
FROM families f
LEFT JOIN applicants a ON a.family_id = f.family_id
LEFT JOIN applicants_n n ON n.family_id = f.family_id
