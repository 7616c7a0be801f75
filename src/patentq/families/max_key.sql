-- the largest family key of family_members (the key ranges of families and the indicators)
SELECT max(family_key) FROM family_members
