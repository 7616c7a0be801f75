SELECT publication_number, country_code, kind_code, publication_date, is_grant, grant_date, claims_count
FROM family_members WHERE family_id = $family_id
ORDER BY publication_date NULLS LAST, publication_number
