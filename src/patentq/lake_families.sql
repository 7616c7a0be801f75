-- families in the lake as its sources give them (before surrogate ids are resolved)
SELECT count(DISTINCT family_id) FROM publications
