-- Reach: where protection is sought. IP5 = the five largest offices (US, EP, JP, CN, KR);
-- triadic = members at the EPO, JPO and USPTO (OECD triadic families). filed_abroad = a member
-- at an office other than the first-filing (priority) office, WO not counting as an office.
SELECT f.family_key,
       f.n_offices,
       max(CASE WHEN m.country_code = 'WO' THEN 1 ELSE 0 END) = 1 AS wo_member,
       max(CASE WHEN m.country_code = 'EP' THEN 1 ELSE 0 END) = 1 AS ep_member,
       count(DISTINCT CASE WHEN m.country_code IN ('US', 'EP', 'JP', 'CN', 'KR') THEN m.country_code END) AS ip5_offices,
       max(CASE WHEN m.country_code = 'EP' THEN 1 ELSE 0 END) + max(CASE WHEN m.country_code = 'JP' THEN 1 ELSE 0 END)
         + max(CASE WHEN m.country_code = 'US' THEN 1 ELSE 0 END) = 3 AS triadic,
       CASE WHEN f.priority_office IS NULL THEN NULL
            ELSE max(CASE WHEN m.country_code <> 'WO' AND m.country_code <> f.priority_office THEN 1 ELSE 0 END) = 1
       END AS filed_abroad
FROM families f JOIN family_members m ON f.family_key = m.family_key
GROUP BY f.family_key, f.n_offices, f.priority_office
