SELECT DISTINCT source FROM baseline_countries ORDER BY source
