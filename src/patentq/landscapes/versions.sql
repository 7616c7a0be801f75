-- Every language version of each publication's text, one row per publication x language: the
-- publication's own title/abstract/claims (its primary version, in `publications.language`)
-- and, from `texts`, each language version a source gave (Google *_localized, EPO OPS,
-- PATSTAT tls202/tls203). A texts row equal to the primary text of its field is left out, so a
-- version is not searched twice; a query matches a publication when it matches one version.
SELECT publication_number, family_id, lower(coalesce(language, '')) AS language, $columns
FROM publications
UNION ALL
SELECT t.publication_number, p.family_id, lower(coalesce(t.language, '')) AS language, $pivot
FROM texts t JOIN publications p ON p.publication_number = t.publication_number
WHERE t.field IN ($fields) AND coalesce(t.text, '') <> '' AND NOT ($same)
GROUP BY t.publication_number, p.family_id, lower(coalesce(t.language, ''))
