-- landscape_<name>_refined: rule members the classifier kept, plus the families it added
-- (matched_publications 0: no publication matches the rules)
SELECT m.family_id, m.matched_publications
FROM $members m LEFT JOIN $scores s ON s.family_id = m.family_id
WHERE coalesce(s.member, true)
UNION ALL
SELECT s.family_id, CAST(0 AS INTEGER) AS matched_publications
FROM $scores s
WHERE s.member AND NOT s.rule_member
