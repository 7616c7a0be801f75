-- the refinement's score of the family of one publication
SELECT s.score, s.member FROM $scores s
WHERE s.family_id IN (SELECT family_id FROM publications WHERE publication_number = $number)
