-- The lake profile: per office x year, how many publications there are and how many carry
-- each field (one sum per field of capabilities.FIELDS).
SELECT office, year, count(*) AS publications,
       $sums
FROM ($publications) x
GROUP BY office, year
