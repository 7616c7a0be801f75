SELECT title, abstract, claims_text FROM publications WHERE publication_number = $number
