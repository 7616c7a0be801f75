-- families a source tagged with a scheme (e.g. cset)
SELECT DISTINCT p.family_id FROM tags t JOIN publications p ON p.publication_number = t.publication_number
WHERE lower(t.scheme) = $scheme AND p.family_id IS NOT NULL
