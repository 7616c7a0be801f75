SELECT
  sum(CASE WHEN a.family_id IS NOT NULL AND b.family_id IS NOT NULL THEN 1 ELSE 0 END) AS both,
  sum(CASE WHEN b.family_id IS NULL THEN 1 ELSE 0 END) AS only_a,
  sum(CASE WHEN a.family_id IS NULL THEN 1 ELSE 0 END) AS only_b
FROM ($a) a FULL OUTER JOIN ($b) b ON a.family_id = b.family_id
