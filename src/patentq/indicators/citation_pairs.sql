-- Every citation with its citing family: family_citation_targets (the cited side, resolved by
-- targets.sql) joined to the citing numbers (citing_numbers.sql) on the citing number as written.
-- A citing number is the citing publication itself; one without kind is matched on the number
-- without kind, in every family with a member of that number, dated by that family's earliest
-- such member. A base number is a citing number only where no publication has it as its number:
-- those are the numbers without kind, the only publication numbers equal to their own base
-- number. Run per hash slice of the number: the sources targets and citing are the same slice
-- of both sides (parts.buckets), so both rows of a number, and so the test, are in one slice.
-- family_citations.sql groups the pairs per family.
WITH numbers AS (
  SELECT number, family_key, publication_date FROM $citing c WHERE NOT is_base
  UNION ALL
  SELECT number, family_key, min(publication_date) AS publication_date FROM $citing c
  WHERE is_base AND number NOT IN (SELECT number FROM $citing k WHERE kindless)
  GROUP BY number, family_key
)
SELECT c.family_key AS citing_key, t.cited_key, t.cited_ref, t.npl, c.publication_date AS citing_date,
       t.xy, t.examiner, t.applicant
FROM $targets t JOIN numbers c ON t.citing_pn = c.number
