-- The numbers a citation's citing side may be written as, for citation_pairs.sql: every member's
-- publication number (is_base false; kindless: the number is its own base number, i.e. written
-- without kind) and every member's base number (is_base true), for citing numbers written
-- without kind (as some exports and the scale generator write them).
SELECT publication_number AS number, family_key, publication_date, false AS is_base,
       publication_number = base_number AS kindless
FROM family_members
UNION ALL
SELECT base_number AS number, family_key, publication_date, true AS is_base, false AS kindless
FROM family_members
