SELECT title, abstract, claims_text, language FROM publications WHERE publication_number = $number
