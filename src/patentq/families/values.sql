-- family_values: one row per value of a member publication that families lists or the indicators
-- read, keyed by its family: its CPC / IPC codes (kind = cpc / ipc), its inventors' and
-- applicants' countries and applicants' names (kind = inventor / applicant; value = the country,
-- name / group_name as parties has them), its priority claims (kind = priority: value = the
-- country, day = the date) and, for a member whose own parties give no inventor or no applicant
-- country, an 'unfilled' row (value = inventor, applicant or both), counted by filled.sql.
-- The joins from publication numbers to family keys are done here once, in slices of a hash of
-- the publication number: the sources codes, parties, priorities and members are one slice of each input
-- (families.VALUE_INPUTS, written into buckets by parts.buckets; the inputs themselves for one
-- part), one hash table of the slice's member numbers for codes, parties and priorities alike;
-- families and the indicators then group integer keys instead of joining 500M rows to 130M
-- members again.
SELECT * FROM (
SELECT m.family_key, v.kind, v.value, v.name, v.group_name, v.day
FROM (
  SELECT publication_number, scheme AS kind, code AS value, CAST(NULL AS VARCHAR) AS name,
         CAST(NULL AS VARCHAR) AS group_name, CAST(NULL AS DATE) AS day
  FROM $codes c
  UNION ALL
  SELECT publication_number, role AS kind, country_code AS value,
         CASE WHEN role = 'applicant' THEN name END AS name,
         CASE WHEN role = 'applicant' THEN group_name END AS group_name, CAST(NULL AS DATE) AS day
  FROM $parties p
  WHERE ((country_code IS NOT NULL AND country_code <> '')
         OR (role = 'applicant' AND name IS NOT NULL AND trim(name) <> ''))
  UNION ALL
  SELECT publication_number, 'priority' AS kind, priority_country AS value, CAST(NULL AS VARCHAR) AS name,
         CAST(NULL AS VARCHAR) AS group_name, priority_date AS day
  FROM $priorities r
) v
JOIN $members m
  ON v.publication_number = m.publication_number
UNION ALL
-- members whose own publication names no inventor / no applicant with a country (a country of
-- '' counts as given)
SELECT m.family_key, 'unfilled' AS kind,
       CASE WHEN coalesce(o.inv, 0) = 0 AND coalesce(o.app, 0) = 0 THEN 'both'
            WHEN coalesce(o.inv, 0) = 0 THEN 'inventor' ELSE 'applicant' END AS value,
       CAST(NULL AS VARCHAR) AS name, CAST(NULL AS VARCHAR) AS group_name, CAST(NULL AS DATE) AS day
FROM $members m
LEFT JOIN (
  SELECT publication_number,
         max(CASE WHEN role = 'inventor' AND country_code IS NOT NULL THEN 1 ELSE 0 END) AS inv,
         max(CASE WHEN role = 'applicant' AND country_code IS NOT NULL THEN 1 ELSE 0 END) AS app
  FROM $parties p GROUP BY publication_number
) o ON m.publication_number = o.publication_number
WHERE coalesce(o.inv, 0) = 0 OR coalesce(o.app, 0) = 0
) fv
-- in key order where families has several parts ($order), so a range reads few row groups
$order
