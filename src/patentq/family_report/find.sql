-- The family of a publication: the exact number first, then the number without kind; the
-- smallest family id where several match (a fixed order on every engine).
SELECT family_id FROM (
  SELECT family_id, 0 AS exact_first FROM family_members WHERE publication_number = $number
  UNION ALL
  SELECT family_id, 1 AS exact_first FROM family_members WHERE base_number = $base
) m
ORDER BY exact_first, family_id
