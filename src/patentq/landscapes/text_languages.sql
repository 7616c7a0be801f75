-- the languages of the lake's texts (publications' primary version and every texts row)
SELECT DISTINCT lower(language) AS language FROM publications WHERE language IS NOT NULL
UNION
SELECT DISTINCT lower(language) AS language FROM texts WHERE language IS NOT NULL
