SELECT scheme, tag FROM tags WHERE publication_number = $number
