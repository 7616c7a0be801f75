-- family_context_members: every context document (context_documents: documents outside the export
-- that cite it) with the family key it counts under. A document of a family the lake holds (a
-- member the export left out) counts as that family (in_lake); any other takes a key after the
-- lake's (the largest family_key plus a number per context family id), so a context family is
-- one citing family however many of its documents cite. A document that is itself a publication
-- of the lake is left out: the lake's own citation lists speak for it. Empty when the indicators
-- run without context ($use_context false).
WITH given AS (
  SELECT publication_number, coalesce(family_id, '~context:' || publication_number) AS family_id,
         publication_date, country_code, applicant_names, applicant_countries, inventor_countries,
         row_number() OVER (PARTITION BY publication_number ORDER BY source, source_ref) AS copy
  FROM context_documents
  WHERE $use_context AND publication_number IS NOT NULL
    AND publication_number NOT IN (SELECT publication_number FROM family_members)
),
-- one row per document (two sources may both give it)
docs AS (SELECT * FROM given WHERE copy = 1),
lake AS (SELECT family_id, min(family_key) AS family_key FROM family_members GROUP BY family_id),
after AS (SELECT coalesce(max(family_key), 0) AS last_key FROM family_members),
own AS (
  SELECT family_id, row_number() OVER (ORDER BY family_id) AS n
  FROM (SELECT DISTINCT d.family_id FROM docs d LEFT JOIN lake l ON l.family_id = d.family_id
        WHERE l.family_id IS NULL) x
)
SELECT d.publication_number, coalesce(l.family_key, a.last_key + o.n) AS family_key,
       l.family_key IS NOT NULL AS in_lake, d.family_id, d.publication_date, d.country_code,
       d.applicant_names, d.applicant_countries, d.inventor_countries
FROM docs d
CROSS JOIN after a
LEFT JOIN lake l ON l.family_id = d.family_id
LEFT JOIN own o ON o.family_id = d.family_id
