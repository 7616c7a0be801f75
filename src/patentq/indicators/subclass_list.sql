-- the lake's IPC subclasses (CPC where a family has no IPC), numbered once for every part of
-- family_subclasses (subclasses.sql)
SELECT DISTINCT substr(code, 1, 4) AS subclass FROM family_codes WHERE length(code) >= 4
