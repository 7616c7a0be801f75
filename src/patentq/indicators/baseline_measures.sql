-- the measures the lake holds population baselines for (context.population_measures)
SELECT DISTINCT measure FROM baselines WHERE families > 0
