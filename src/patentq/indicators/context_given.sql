-- The context documents family_context_members keeps (context_members.sql reads this several
-- times, each read only the columns it needs): every document with a number that is not itself
-- a publication of the lake (in_lake, a CTE of context_members.sql), with its family id, or a
-- family of its own where the source gives none.
SELECT publication_number, coalesce(family_id, '~context:' || publication_number) AS family_id,
       publication_date, country_code, applicant_names, applicant_countries, inventor_countries
FROM context_documents
WHERE $use_context AND publication_number IS NOT NULL
  AND publication_number NOT IN (SELECT publication_number FROM in_lake)
