SELECT coalesce(fwd_source, 'none') AS source, count(DISTINCT family_id) AS n FROM cmp_x
GROUP BY coalesce(fwd_source, 'none')
