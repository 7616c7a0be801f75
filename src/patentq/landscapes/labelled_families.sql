SELECT publication_number, family_id FROM publications WHERE publication_number IN ($numbers)
