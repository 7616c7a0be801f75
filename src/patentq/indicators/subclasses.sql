-- family_subclasses (keyed by families.family_key): the distinct IPC subclasses (4 characters, e.g. G06N) of each family,
-- the level at which OECD counts patent scope, generality, originality and radicalness
-- (Squicciarini, Dernis & Criscuolo 2013). CPC subclasses stand in only for families without
-- any IPC code (family_codes, codes.sql). ``weight`` = 1 / number of the family's subclasses
-- (fractional shares); ``subclass_id`` numbers the subclasses so the heavy OECD aggregates group on integers.
-- One part of the table = one range of family keys (TRUE for one part). The ids number the
-- subclasses of the whole lake: the distinct subclasses of ``chosen`` for one part, else the
-- lake's list (subclass_list.sql, run once before the parts and written here as VALUES).
WITH chosen AS (
  SELECT DISTINCT family_key, substr(code, 1, 4) AS subclass FROM family_codes WHERE length(code) >= 4 AND $key_range
),
-- ids number the few hundred distinct subclasses, and weights come from a count per family:
-- no window sorts the (family, subclass) rows
subclass_ids AS (
  SELECT subclass, row_number() OVER (ORDER BY subclass) AS subclass_id FROM ($subclass_list) d
),
per_family AS (SELECT family_key, count(*) AS n FROM chosen GROUP BY family_key)
SELECT c.family_key, c.subclass, i.subclass_id, 1.0 / f.n AS weight
FROM chosen c
JOIN subclass_ids i ON c.subclass = i.subclass
JOIN per_family f ON c.family_key = f.family_key
