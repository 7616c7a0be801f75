-- every (scheme, value) the lake's tags hold, lower-cased as tag clauses compare them
SELECT DISTINCT lower(scheme) AS scheme, lower(tag) AS tag FROM tags WHERE tag IS NOT NULL
