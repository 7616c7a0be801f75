SELECT * FROM $table WHERE family_id = $family_id
