-- family_shared_applicants: (citing family, cited family) links of family_citations whose
-- families share an applicant group (family_applicants, family_applicants.sql);
-- fwd_cits_5_xapp leaves them out. One part = the links from one range of citing families
-- ($citing_range; TRUE for one part): the hash tables hold that range's applicants and its
-- links, never the lake's; the cited families' applicants are scanned, not held.
-- Each citing link is looked up with the citing family's applicant and the cited family as one
-- key (cited family | applicant): applicants are never joined to applicants, where one large
-- applicant would square its families.
WITH a AS (SELECT family_key, applicant_key FROM family_applicants WHERE $applicant_range),
links AS (
  SELECT e.citing_key, e.cited_key, CAST(e.cited_key AS VARCHAR) || '|' || a.applicant_key AS pair
  FROM family_citations e JOIN a ON a.family_key = e.citing_key
  WHERE e.link = 'family' AND $citing_range
)
SELECT DISTINCT l.citing_key, l.cited_key
FROM links l
JOIN (SELECT CAST(family_key AS VARCHAR) || '|' || applicant_key AS pair FROM family_applicants) b ON b.pair = l.pair
