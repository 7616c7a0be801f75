-- every distinct applicant name with the number of publications carrying it: the lake's parties
-- and the context documents' applicants (so a citing family outside the export is harmonised by
-- the same groups, for the self-citation test of the indicators)
SELECT name, count(DISTINCT publication_number) AS publications
FROM (
  SELECT name, publication_number FROM parties WHERE role = 'applicant' AND name IS NOT NULL
  UNION ALL
  SELECT name, publication_number FROM (SELECT unnest(applicant_names) AS name, publication_number FROM context_documents) c
  WHERE name IS NOT NULL
) a
GROUP BY name
