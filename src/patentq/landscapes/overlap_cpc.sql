-- families with a CPC code under one of the definition's prefixes (a CPC-only search)
SELECT DISTINCT p.family_id FROM classifications c JOIN publications p ON p.publication_number = c.publication_number
WHERE c.scheme = 'cpc' AND p.family_id IS NOT NULL AND ($like)
