-- Drill-down: the families of the groups $groups, each group's first $limit by $order (the
-- active quality measure), with the family's earliest publication as its number and title.
WITH chosen AS (
  SELECT x.family_id, x.grp, x.weight, x.year,
         row_number() OVER (PARTITION BY x.grp ORDER BY $order DESC NULLS LAST, x.family_id) AS k
  FROM cmp_x x LEFT JOIN family_indicators i ON i.family_id = x.family_id
  WHERE x.grp IN ($groups)
),
firsts AS (
  SELECT m.family_id, p.publication_number, p.title,
         row_number() OVER (PARTITION BY m.family_id ORDER BY p.publication_date NULLS LAST, p.publication_number) AS n
  FROM family_members m JOIN publications p ON p.publication_number = m.publication_number
  WHERE m.family_id IN (SELECT family_id FROM chosen WHERE k <= $limit)
)
SELECT c.grp AS "group", c.k AS position, c.family_id, p.publication_number, p.title, c.year, c.weight,
       f.offices, f.granted, i.fwd_cits_5, i.fwd_cits_5_rel, i.top10_cohort, i.breakthrough, i.window_complete_5,
       i.fwd_cits_total, i.quality_index_4, i.claims, i.filed_abroad
FROM chosen c
LEFT JOIN firsts p ON p.family_id = c.family_id AND p.n = 1
LEFT JOIN families f ON f.family_id = c.family_id
LEFT JOIN family_indicators i ON i.family_id = c.family_id
WHERE c.k <= $limit
ORDER BY c.grp, c.k
