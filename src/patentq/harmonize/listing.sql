-- each group's name variants with the families they apply for
WITH applicant_families AS (
  SELECT DISTINCT g.group_name, g.group_source, pt.name, m.family_id
  FROM parties pt
  JOIN applicant_groups g ON g.name = pt.name
  JOIN family_members m ON m.publication_number = pt.publication_number
  WHERE pt.role = 'applicant'
)
SELECT group_name, max(group_source) AS group_source, name, count(DISTINCT family_id) AS families
FROM applicant_families
GROUP BY group_name, name
