-- Families with their sample stratum and a seeded random draw. Strata: in (members), near (not
-- members, but passing the query's necessary condition, the gate: where false negatives hide)
-- and out (the rest). The draw is a hash of seed and family id: the same seed gives the same
-- sample on any engine.
WITH d AS ($docs),
tagged AS (
  SELECT family_id, publication_number, title, abstract,
         CASE WHEN $member THEN 1 ELSE 0 END AS hit,
         CASE WHEN $near THEN 1 ELSE 0 END AS near
  FROM d
),
fam AS (
  SELECT family_id, max(hit) AS hit, max(near) AS near, min(publication_number) AS publication_number
  FROM tagged GROUP BY family_id
),
strata AS (
  SELECT family_id, publication_number,
         CASE WHEN hit = 1 THEN 'in' WHEN near = 1 THEN 'near' ELSE 'out' END AS stratum,
         md5(concat($seed, family_id)) AS draw
  FROM fam
)
