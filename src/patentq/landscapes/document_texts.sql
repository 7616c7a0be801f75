SELECT field, language, text FROM texts WHERE publication_number = $number ORDER BY language, field
