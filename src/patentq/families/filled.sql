-- publications whose own parties lack a country that the family supplies (filled, not unknown):
-- the 'unfilled' rows of family_values (one per member publication) whose family lists a country
-- all the same. Summed over the key ranges ($key_range) of families.
SELECT count(*) FILTER (WHERE v.value IN ('inventor', 'both') AND array_length(f.inventor_countries) > 0)
         AS filled_inventor_country,
       count(*) FILTER (WHERE v.value IN ('applicant', 'both') AND array_length(f.applicant_countries) > 0)
         AS filled_applicant_country
FROM (SELECT family_key, value FROM family_values WHERE kind = 'unfilled' AND $key_range) v
JOIN (SELECT family_key, inventor_countries, applicant_countries FROM families WHERE $key_range) f
  ON v.family_key = f.family_key
