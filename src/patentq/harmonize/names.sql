-- every distinct applicant name with the number of publications carrying it
SELECT name, count(DISTINCT publication_number) AS publications
FROM parties
WHERE role = 'applicant' AND name IS NOT NULL
GROUP BY name
