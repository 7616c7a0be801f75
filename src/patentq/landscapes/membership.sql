-- members: families with a publication matching the compiled membership predicate
SELECT $select
FROM ($docs) d
WHERE $predicate
GROUP BY family_id
