-- family_shared_applicants: (citing family, cited family) links of family_citations whose
-- families share an applicant group (harmonize.party_groups_sql: the one applicant -> group
-- rule); fwd_cits_5_xapp leaves them out.
-- Applicants are numbered and each citing family's applicants are looked up with the cited
-- family as one packed BIGINT (family_key * 2^31 + applicant id): applicants are never joined
-- to applicants, where one large applicant would square its families.
WITH applicant_names AS (
  SELECT DISTINCT fm.family_key, pg.group_name AS applicant_key
  FROM ($party_groups) pg JOIN family_members fm ON pg.publication_number = fm.publication_number
),
-- applicants numbered; (family, applicant) packed into one BIGINT (family_key * 2^31 + id)
-- (only the distinct applicants are sorted, not every (family, applicant) row)
applicant_ids AS (
  SELECT applicant_key, row_number() OVER (ORDER BY applicant_key) AS applicant_id
  FROM (SELECT DISTINCT applicant_key FROM applicant_names) d
),
applicants AS (
  SELECT n.family_key, i.applicant_id FROM applicant_names n JOIN applicant_ids i ON n.applicant_key = i.applicant_key
),
family_applicants AS (SELECT DISTINCT family_key * 2147483648 + applicant_id AS pair FROM applicants),
-- (citing family, cited family) pairs sharing an applicant: each citing applicant is looked up
-- with the cited family, never applicants joined to applicants (a large applicant would square
-- its families)
shared AS (
  SELECT DISTINCT e.citing_key, e.cited_key
  FROM family_citations e
  JOIN applicants a ON a.family_key = e.citing_key
  JOIN family_applicants b ON b.pair = e.cited_key * 2147483648 + a.applicant_id
  WHERE e.link = 'family'
)
SELECT citing_key, cited_key FROM shared
