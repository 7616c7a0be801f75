-- Reach: where protection is sought. IP5 = the five largest offices (US, EP, JP, CN, KR);
-- triadic = members at the EPO, JPO and USPTO (OECD triadic families). filed_abroad = a member
-- at an office other than the first-filing (priority) office, WO not counting as an office.
-- Read from the family's distinct office list (families.offices), so the members are not
-- joined again: family_size counts the offices other than WO, and the offices other than the
-- priority office are those less the priority office itself when the family has a member there.
-- reach_basis: 'members' where the family's sources list all its members (families.lists_members),
-- else 'lower bound': the offices known are then the members' offices plus the offices of the
-- family's priority numbers (a Lens row lists neither its family's other members nor their
-- offices, but its priority numbers name offices where the invention was filed), and every reach
-- measure is at least what it would be with the full member list.
WITH known AS (
  SELECT family_key, priority_office, lists_members,
         CASE WHEN lists_members THEN offices
              ELSE list_distinct(list_concat(coalesce(offices, CAST([] AS VARCHAR[])), priority_offices)) END AS offices
  FROM families
),
o AS (
  SELECT family_key, priority_office, lists_members,
         coalesce(array_length(offices), 0) AS n_offices,
         coalesce(array_length(offices), 0) - CASE WHEN list_contains(offices, 'WO') THEN 1 ELSE 0 END AS family_size,
         coalesce(list_contains(offices, 'WO'), false) AS wo,
         coalesce(list_contains(offices, 'EP'), false) AS ep,
         coalesce(list_contains(offices, 'JP'), false) AS jp,
         coalesce(list_contains(offices, 'US'), false) AS us,
         coalesce(list_contains(offices, 'CN'), false) AS cn,
         coalesce(list_contains(offices, 'KR'), false) AS kr,
         coalesce(list_contains(offices, priority_office), false) AS at_priority_office
  FROM known
)
SELECT family_key,
       n_offices,
       wo AS wo_member,
       ep AS ep_member,
       CAST(CASE WHEN us THEN 1 ELSE 0 END + CASE WHEN ep THEN 1 ELSE 0 END + CASE WHEN jp THEN 1 ELSE 0 END
            + CASE WHEN cn THEN 1 ELSE 0 END + CASE WHEN kr THEN 1 ELSE 0 END AS BIGINT) AS ip5_offices,
       ep AND jp AND us AS triadic,
       CASE WHEN priority_office IS NULL THEN NULL
            ELSE family_size - CASE WHEN at_priority_office AND priority_office <> 'WO' THEN 1 ELSE 0 END > 0
       END AS filed_abroad,
       family_size,
       CASE WHEN lists_members THEN 'members' ELSE 'lower bound' END AS reach_basis
FROM o
