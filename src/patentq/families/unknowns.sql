-- what stays unknown after filling countries from other members (reported, kept in the manifest)
SELECT count(*) AS families,
       count(*) FILTER (WHERE array_length(inventor_countries) = 0) AS unknown_inventor_country,
       count(*) FILTER (WHERE array_length(applicant_countries) = 0) AS unknown_applicant_country,
       count(*) FILTER (WHERE priority_year IS NULL) AS unknown_priority_year,
       count(*) FILTER (WHERE first_publication_date IS NULL) AS unknown_publication_date,
       count(*) FILTER (WHERE priority_office IS NULL) AS unknown_priority_office,
       count(*) FILTER (WHERE claims IS NULL) AS unknown_claims
FROM families
