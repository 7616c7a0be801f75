-- Families of the window, landscape or not (RTA's population): how many.
SELECT count(DISTINCT family_id) AS n FROM cmp_pop
