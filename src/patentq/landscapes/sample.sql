$strata,
ranked AS (SELECT *, row_number() OVER (PARTITION BY stratum ORDER BY draw, family_id) AS k FROM strata)
SELECT r.stratum, r.family_id, r.publication_number, t.title, t.abstract, '' AS label
FROM ranked r JOIN tagged t ON t.publication_number = r.publication_number AND t.family_id = r.family_id
WHERE $quotas
ORDER BY r.stratum, r.k
