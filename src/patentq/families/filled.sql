-- publications whose own parties lack a country that the family supplies (filled, not unknown)
WITH with_inventor AS (
  SELECT DISTINCT publication_number FROM parties WHERE role = 'inventor' AND country_code IS NOT NULL
),
with_applicant AS (
  SELECT DISTINCT publication_number FROM parties WHERE role = 'applicant' AND country_code IS NOT NULL
),
own AS (
  SELECT fm.family_key,
         fm.publication_number IN (SELECT publication_number FROM with_inventor) AS has_inv,
         fm.publication_number IN (SELECT publication_number FROM with_applicant) AS has_app
  FROM family_members fm
)
SELECT count(*) FILTER (WHERE NOT o.has_inv AND array_length(f.inventor_countries) > 0) AS filled_inventor_country,
       count(*) FILTER (WHERE NOT o.has_app AND array_length(f.applicant_countries) > 0) AS filled_applicant_country
FROM own o JOIN families f ON o.family_key = f.family_key
