-- Per office: how many families have a member there, and how many of those also have a member
-- at another office other than WO (protection sought beyond that office; a PCT filing alone is
-- not protection). Over the families table, i.e. the whole lake.
WITH fo AS (SELECT DISTINCT family_id, country_code AS office FROM family_members WHERE country_code IS NOT NULL),
non_wo AS (SELECT family_id, count(*) AS n_non_wo FROM fo WHERE office <> 'WO' GROUP BY family_id)
SELECT fo.office,
       count(*) AS families,
       count(*) FILTER (WHERE coalesce(n.n_non_wo, 0) - CASE WHEN fo.office <> 'WO' THEN 1 ELSE 0 END > 0)
         AS families_elsewhere
FROM fo LEFT JOIN non_wo n ON fo.family_id = n.family_id
GROUP BY fo.office
