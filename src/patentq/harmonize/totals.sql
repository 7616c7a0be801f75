-- families per group (a family counts once per group)
SELECT g.group_name, count(DISTINCT m.family_id) AS families
FROM parties pt
JOIN applicant_groups g ON g.name = pt.name
JOIN family_members m ON m.publication_number = pt.publication_number
WHERE pt.role = 'applicant'
GROUP BY g.group_name
