SELECT count(DISTINCT family_id) AS n FROM cmp_x WHERE grp = 'UNKNOWN'
