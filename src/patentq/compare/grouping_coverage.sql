-- How many families of the window have what each grouping needs
SELECT count(*) AS families,
       count(*) FILTER (WHERE array_length(f.inventor_countries) > 0) AS inventor_countries,
       count(*) FILTER (WHERE array_length(f.applicant_countries) > 0) AS applicant_countries,
       count(*) FILTER (WHERE f.priority_office IS NOT NULL AND trim(f.priority_office) <> '') AS priority_office,
       count(*) FILTER (WHERE array_length(f.offices) > 0) AS offices
FROM families f $landscape_join
$where
