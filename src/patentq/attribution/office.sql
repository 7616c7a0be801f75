-- Every office where the family has a member (WO and EP included): $weight per office.
WITH listed AS (
  SELECT DISTINCT family_id, office
  FROM (SELECT family_id, unnest(offices) AS office FROM families) u
  WHERE office IS NOT NULL
),
listed_n AS (SELECT family_id, count(*) AS n FROM listed GROUP BY family_id)
SELECT f.family_id, coalesce(l.office, 'UNKNOWN') AS "group",
       CASE WHEN l.office IS NULL THEN CAST(1 AS DOUBLE) ELSE $weight END AS weight
FROM families f
LEFT JOIN listed l ON l.family_id = f.family_id
LEFT JOIN listed_n n ON n.family_id = f.family_id
