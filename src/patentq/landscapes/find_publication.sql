-- publication numbers in the lake for what the user typed (with or without kind code)
SELECT DISTINCT publication_number FROM publications
WHERE publication_number = $number OR publication_number LIKE $prefix
ORDER BY publication_number
