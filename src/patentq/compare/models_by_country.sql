-- Epoch notable models per country (a model with several countries counts once for each).
SELECT c AS grp, count(DISTINCT model) AS models
FROM (SELECT model, publication_date, unnest(countries) AS c FROM notable_models) m
$where
GROUP BY c
