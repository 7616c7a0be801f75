-- The one applicant-to-group rule: every applicant name of every publication with its group:
-- the harmonised group of the name (applicant_groups), else a group the source gave
-- (parties.group_name), else the name as given, trimmed. The party rows are parties, or
-- the indicators' family_values rows keyed by family (party_groups_sql).
SELECT p.$key, p.name, coalesce(g.group_name, p.group_name, trim(p.name)) AS group_name
FROM $parties p LEFT JOIN applicant_groups g ON g.name = p.name
WHERE p.role = 'applicant' AND p.name IS NOT NULL AND trim(p.name) <> ''
