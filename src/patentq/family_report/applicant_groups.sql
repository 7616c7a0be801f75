-- The family's applicant groups (harmonize.party_groups_sql), each with its name variants and
-- the applicants' countries.
SELECT pg.group_name, array_sort(array_agg(DISTINCT pg.name)) AS names,
       array_sort(array_agg(DISTINCT p.country_code) FILTER (WHERE p.country_code IS NOT NULL)) AS countries
FROM ($party_groups) pg
JOIN family_members m ON pg.publication_number = m.publication_number
JOIN parties p ON p.publication_number = pg.publication_number AND p.name = pg.name AND p.role = 'applicant'
WHERE m.family_id = $family_id
GROUP BY pg.group_name
ORDER BY 1
