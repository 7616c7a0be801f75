-- What a publication's rows in the other tables say, one row each, grouped per publication by
-- publications.sql (one grouping of their union, one hash table per slice, not four, and one
-- join): its parties' countries and names, its CPC / IPC codes, its priority claims with a
-- country, its tags.
SELECT publication_number,
       CASE WHEN role = 'inventor' AND country_code IS NOT NULL AND trim(country_code) <> '' THEN 1 ELSE 0 END AS inventor_country,
       CASE WHEN role = 'applicant' AND country_code IS NOT NULL AND trim(country_code) <> '' THEN 1 ELSE 0 END AS applicant_country,
       CASE WHEN role = 'applicant' AND name IS NOT NULL AND trim(name) <> '' THEN 1 ELSE 0 END AS applicant_name,
       0 AS cpc, 0 AS ipc, 0 AS priority_numbers, 0 AS tags
FROM parties WHERE role IN ('inventor', 'applicant')
UNION ALL
SELECT publication_number, 0, 0, 0, CASE WHEN scheme = 'cpc' THEN 1 ELSE 0 END,
       CASE WHEN scheme = 'ipc' THEN 1 ELSE 0 END, 0, 0
FROM classifications WHERE scheme IN ('cpc', 'ipc')
UNION ALL
SELECT publication_number, 0, 0, 0, 0, 0, 1, 0 FROM priorities WHERE priority_country IS NOT NULL
UNION ALL
SELECT publication_number, 0, 0, 0, 0, 0, 0, 1 FROM tags
