$strata
SELECT stratum, count(*) AS n FROM strata GROUP BY stratum
