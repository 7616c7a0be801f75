-- family_context_shared: (citing, cited) pairs of family_context_citations whose families share an
-- applicant group, the context's counterpart of family_shared_applicants. A lake family's groups
-- are those of family_applicants (the one applicant -> group rule); a context family's from
-- its documents' applicant names through the same harmonised groups (the applicants stage names
-- context applicants too), else the name trimmed.
-- As in shared_applicants.sql, groups are numbered and each citing family's groups are looked up
-- with the cited family as one packed BIGINT (family_key * 2^31 + group id): groups are never
-- joined to groups, where one large applicant would square its families.
WITH keys AS (
  SELECT cited_key AS family_key FROM family_context_citations
  UNION
  SELECT citing_key FROM family_context_citations WHERE in_lake
),
lake_groups AS (
  SELECT family_key, applicant_key AS group_name FROM family_applicants
  WHERE family_key IN (SELECT family_key FROM keys)
),
context_names AS (
  SELECT family_key, unnest(applicant_names) AS name FROM family_context_members WHERE NOT in_lake
),
context_groups AS (
  SELECT DISTINCT n.family_key, coalesce(g.group_name, trim(n.name)) AS group_name
  FROM context_names n LEFT JOIN applicant_groups g ON g.name = n.name
  WHERE n.name IS NOT NULL AND trim(n.name) <> ''
),
groups AS (SELECT * FROM lake_groups UNION ALL SELECT * FROM context_groups),
group_ids AS (
  SELECT group_name, row_number() OVER (ORDER BY group_name) AS group_id FROM (SELECT DISTINCT group_name FROM groups) d
),
numbered AS (SELECT g.family_key, i.group_id FROM groups g JOIN group_ids i ON i.group_name = g.group_name),
packed AS (SELECT DISTINCT family_key * 2147483648 + group_id AS pair FROM numbered)
SELECT DISTINCT e.citing_key, e.cited_key
FROM family_context_citations e
JOIN numbered a ON a.family_key = e.citing_key
JOIN packed b ON b.pair = e.cited_key * 2147483648 + a.group_id
