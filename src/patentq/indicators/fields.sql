-- cohort_field: the WIPO technology field (Schmoch 2008, 35 fields) of each family.
-- Each distinct IPC code of the family (CPC only when it has no IPC) is mapped through the
-- concordance, main-group prefixes first (H04N21, G01N33, A61K8, B01D45, E01F8) then the
-- subclass. The family takes the field most of its codes fall in; ties go to the lowest field
-- number. Codes come from family_codes (codes.sql).
-- (OECD cohorts use one field per patent; we document this "majority field" rule in
-- docs/indicators.md and keep ``n_fields`` so multi-field families can be found.)
-- One part of the table = one range of family keys (TRUE for one part).
WITH chosen AS (
  SELECT family_key, code,
         CASE WHEN instr(code, '/') > 0 THEN substr(code, 1, instr(code, '/') - 1) ELSE code END AS main_group
  FROM family_codes WHERE $key_range
),
mapped AS (
  SELECT ch.family_key, coalesce(g.field_number, s.field_number) AS field_number
  FROM chosen ch
  LEFT JOIN wipo_concordance g ON g.ipc_prefix = ch.main_group AND length(g.ipc_prefix) > 4
  LEFT JOIN wipo_concordance s ON s.ipc_prefix = substr(ch.code, 1, 4) AND length(s.ipc_prefix) = 4
),
counted AS (
  SELECT family_key, field_number, count(*) AS n_codes FROM mapped
  WHERE field_number IS NOT NULL GROUP BY family_key, field_number
)
-- the majority field: the smallest (-codes, field number), an aggregation rather than a window sort
SELECT family_key, arg_min(field_number, {'codes': -n_codes, 'field': field_number}) AS cohort_field,
       count(*) AS n_fields
FROM counted GROUP BY family_key
