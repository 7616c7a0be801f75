SELECT * FROM ($attributed) a WHERE family_id = $family_id
