-- lake_profile per office x year: the sums of its parts (one row per hash slice of the
-- publications that holds the office and year)
SELECT office, year, $sums
FROM lake_profile
GROUP BY office, year
ORDER BY office NULLS LAST, year NULLS LAST
