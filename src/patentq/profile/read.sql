SELECT * FROM lake_profile ORDER BY office NULLS LAST, year NULLS LAST
