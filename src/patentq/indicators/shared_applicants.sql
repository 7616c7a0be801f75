-- family_shared_applicants: (citing family, cited family) links of family_citations whose
-- families share an applicant group (family_applicants, family_applicants.sql);
-- fwd_cits_5_xapp leaves them out. One part = the links from one range of citing families
-- ($citing_range; TRUE for one part): the hash tables hold that range's applicants and its
-- links, never the lake's; the cited families' applicants are scanned, not held.
-- As in context_shared.sql, groups are numbered (over the whole table, so every part numbers
-- them alike) and each citing link is looked up with the citing family's group and the cited
-- family as one packed BIGINT (family_key * 2^31 + group id): groups are never joined to
-- groups, where one large applicant would square its families, and the key is one integer
-- (docs/performance-notes.md).
WITH group_ids AS (
  SELECT applicant_key, row_number() OVER (ORDER BY applicant_key) AS group_id
  FROM (SELECT DISTINCT applicant_key FROM family_applicants) d
),
numbered AS (
  SELECT f.family_key, i.group_id FROM family_applicants f JOIN group_ids i ON i.applicant_key = f.applicant_key
),
links AS (
  SELECT e.citing_key, e.cited_key, e.cited_key * 2147483648 + a.group_id AS pair
  FROM family_citations e JOIN (SELECT * FROM numbered WHERE $applicant_range) a ON a.family_key = e.citing_key
  WHERE e.link = 'family' AND $citing_range
)
SELECT DISTINCT l.citing_key, l.cited_key
FROM links l
JOIN (SELECT family_key * 2147483648 + group_id AS pair FROM numbered) b ON b.pair = l.pair
