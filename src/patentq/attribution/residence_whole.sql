-- Whole counting by inventor or applicant residence: weight 1 per country listed for the family
-- ($array_column: families.inventor_countries or applicant_countries); UNKNOWN when none.
WITH listed AS (
  SELECT family_id, country FROM (SELECT family_id, unnest($array_column) AS country FROM families) u
  WHERE country IS NOT NULL
)
SELECT f.family_id, coalesce(l.country, 'UNKNOWN') AS "group", CAST(1 AS DOUBLE) AS weight
FROM families f LEFT JOIN (SELECT DISTINCT family_id, country FROM listed) l ON l.family_id = f.family_id
