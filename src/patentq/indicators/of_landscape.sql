-- the family indicators of one landscape's families (lake.indicators(landscape=...))
SELECT i.* FROM family_indicators i JOIN $members l ON l.family_id = i.family_id
