SELECT scheme, code, is_first, is_inventive FROM classifications WHERE publication_number = $number
