-- dated publications, and how many of them have a complete citation window by $cutoff
-- (published on or before it: the data's end less the window's years)
SELECT count(*) AS dated, count(CASE WHEN publication_date <= $cutoff THEN 1 END) AS complete
FROM publications WHERE publication_date IS NOT NULL
