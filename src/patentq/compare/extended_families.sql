SELECT count(extended_family_id) AS n FROM families
