SELECT DISTINCT lower(scheme) AS scheme FROM tags
