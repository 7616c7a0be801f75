WITH attributed AS ($attributed),
member_offices AS (
  SELECT DISTINCT family_id, office
  FROM (SELECT family_id, unnest(offices) AS office FROM families) u
  WHERE office IS NOT NULL
)
SELECT a.family_id, a."group", a.weight,
       CASE WHEN a."group" = 'UNKNOWN' THEN NULL
            ELSE max(CASE WHEN o.office <> a."group" AND o.office <> 'WO' THEN 1 ELSE 0 END) = 1 END AS filed_outside
FROM attributed a LEFT JOIN member_offices o ON o.family_id = a.family_id
GROUP BY a.family_id, a."group", a.weight
