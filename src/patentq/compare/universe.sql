-- The families compared: in the landscape ($landscape_join), in the year window ($where); unit_id
-- maps each family to its INPADOC extended family (itself where none) when the unit is extended.
SELECT f.family_id, $unit AS unit_id, CAST($year AS INTEGER) AS year
FROM families f $landscape_join
$where
