-- family_context_members: every context document (context_documents: documents outside the export
-- that cite it) with the family key it counts under. A document of a family the lake holds (a
-- member the export left out) counts as that family (in_lake); any other takes a key after the
-- lake's (the largest family_key plus a number per context family id), so a context family is
-- one citing family however many of its documents cite. A document that is itself a publication
-- of the lake is left out: the lake's own citation lists speak for it. Empty when the indicators
-- run without context ($use_context false).
-- Lookups in family_members are semi-joins with the context side as the hash table: the lake's
-- 130M member numbers and 100M family ids are scanned, never held.
WITH in_lake AS (
  SELECT publication_number FROM family_members
  WHERE publication_number IN (SELECT publication_number FROM context_documents WHERE $use_context)
),
-- the kept documents (context_given.sql) are read where each use needs them rather than held
-- once: a CTE read twice is materialised whole, lists and all (30M documents spilled 10 GB).
-- One row per document: a document given twice (e.g. by two sources) is merged; the others,
-- nearly all, pass as they are (grouping every document on its number costs more than the rest)
repeated AS (SELECT publication_number FROM ($given) g GROUP BY publication_number HAVING count(*) > 1),
docs AS (
  SELECT * FROM ($given) g WHERE publication_number NOT IN (SELECT publication_number FROM repeated)
  UNION ALL
  SELECT publication_number, min(family_id), min(publication_date), min(country_code), min(applicant_names),
         min(applicant_countries), min(inventor_countries)
  FROM ($given) g WHERE publication_number IN (SELECT publication_number FROM repeated) GROUP BY publication_number
),
-- the context family ids, from the documents' narrow columns (a repeated document's other ids
-- are numbered too, and never used)
ids AS (SELECT DISTINCT family_id FROM ($given) g),
lake AS (
  SELECT family_id, min(family_key) AS family_key FROM family_members
  WHERE family_id IN (SELECT family_id FROM ids) GROUP BY family_id
),
after AS (SELECT coalesce(max(family_key), 0) AS last_key FROM family_members),
-- each context family's key, numbered over the few distinct ids rather than the documents
keyed AS (
  SELECT f.family_id, l.family_key AS lake_key,
         row_number() OVER (PARTITION BY l.family_key IS NULL ORDER BY f.family_id) AS n
  FROM ids f LEFT JOIN lake l ON l.family_id = f.family_id
)
SELECT d.publication_number, coalesce(k.lake_key, a.last_key + k.n) AS family_key,
       k.lake_key IS NOT NULL AS in_lake, d.family_id, d.publication_date, d.country_code,
       d.applicant_names, d.applicant_countries, d.inventor_countries
FROM docs d
JOIN keyed k ON k.family_id = d.family_id
CROSS JOIN after a
