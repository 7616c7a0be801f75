-- The lake's families: how many (the error when a landscape matches none of them).
SELECT count(*) AS n FROM families
