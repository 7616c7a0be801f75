-- Fractional counting by residence: each distinct person of the family counts once, in the
-- country given for them; families whose parties carry no residence split equally between the
-- countries their families row lists. Weights sum to 1 per family.
WITH people AS (
  SELECT m.family_id,
         coalesce(upper(trim(p.name)), '#' || p.publication_number || '#' || CAST(p.seq AS VARCHAR)) AS person,
         min(p.country_code) AS country
  FROM parties p JOIN family_members m ON m.publication_number = p.publication_number
  WHERE p.role = $role AND p.country_code IS NOT NULL AND trim(p.country_code) <> ''
  GROUP BY m.family_id, coalesce(upper(trim(p.name)), '#' || p.publication_number || '#' || CAST(p.seq AS VARCHAR))
),
per_country AS (SELECT family_id, country, count(*) AS people FROM people GROUP BY family_id, country),
per_family AS (SELECT family_id, sum(people) AS people FROM per_country GROUP BY family_id),
shares AS (
  SELECT c.family_id, c.country, CAST(c.people AS DOUBLE) / t.people AS weight
  FROM per_country c JOIN per_family t ON t.family_id = c.family_id
),
listed AS (
  SELECT DISTINCT family_id, country
  FROM (SELECT family_id, unnest($array_column) AS country FROM families) u
  WHERE country IS NOT NULL
),
listed_n AS (SELECT family_id, count(*) AS n FROM listed GROUP BY family_id),
equal_split AS (
  SELECT l.family_id, l.country, CAST(1 AS DOUBLE) / n.n AS weight
  FROM listed l JOIN listed_n n ON n.family_id = l.family_id
),
chosen AS (
  SELECT family_id, country, weight FROM shares
  UNION ALL
  SELECT e.family_id, e.country, e.weight
  FROM equal_split e LEFT JOIN per_family t ON t.family_id = e.family_id
  WHERE t.family_id IS NULL
)
SELECT f.family_id, coalesce(c.country, 'UNKNOWN') AS "group", coalesce(c.weight, CAST(1 AS DOUBLE)) AS weight
FROM families f LEFT JOIN chosen c ON c.family_id = f.family_id
