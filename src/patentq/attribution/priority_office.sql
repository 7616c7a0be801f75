-- The office of first filing (families.priority_office).
SELECT family_id, coalesce(nullif(trim(priority_office), ''), 'UNKNOWN') AS "group", CAST(1 AS DOUBLE) AS weight
FROM families
