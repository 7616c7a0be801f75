-- The families refine looks at, one row each: role 'seed' (rule members), 'candidate' (not a
-- member, but reached by expansion: a CPC main group enriched among the seed families, a
-- citation to or from a seed family in either direction, or the definition's gate, where false
-- negatives hide), 'labelled' (other families with analyst labels, scored to choose thresholds)
-- and 'negative' (a seeded random draw of the non-seed families, for training only).
-- Context documents never enter: only `publications` (the subject documents) are read.
-- text: every language version of the family's titles and abstracts, cut to $max_chars.
$strata,
fam_codes AS (
  SELECT DISTINCT p.family_id, split_part(c.code, '/', 1) AS grp
  FROM classifications c JOIN publications p ON p.publication_number = c.publication_number
  WHERE c.scheme = 'cpc' AND p.family_id IS NOT NULL
),
seed AS (SELECT family_id FROM strata WHERE stratum = 'in'),
n_seed AS (SELECT count(*) AS n FROM seed),
groups AS (  -- main groups held by >= 5 % of the seed families, >= $min_share of whose families are seeds
  SELECT g.grp
  FROM fam_codes g LEFT JOIN seed s ON s.family_id = g.family_id
  GROUP BY g.grp
  HAVING count(s.family_id) >= 0.05 * (SELECT n FROM n_seed) AND count(s.family_id) >= 2
     AND count(s.family_id) >= $min_share * count(*)
),
by_code AS (SELECT DISTINCT g.family_id FROM fam_codes g JOIN groups USING (grp)),
fam_pub AS (SELECT publication_number, family_id FROM publications WHERE family_id IS NOT NULL),
by_citation AS (
  SELECT DISTINCT b.family_id
  FROM citations c JOIN fam_pub a ON a.publication_number = c.citing_publication_number
  JOIN fam_pub b ON b.publication_number = c.cited_publication_number
  WHERE a.family_id IN (SELECT family_id FROM seed)
  UNION
  SELECT DISTINCT a.family_id
  FROM citations c JOIN fam_pub a ON a.publication_number = c.citing_publication_number
  JOIN fam_pub b ON b.publication_number = c.cited_publication_number
  WHERE b.family_id IN (SELECT family_id FROM seed)
),
roles AS (
  SELECT s.family_id,
         CASE WHEN s.stratum = 'in' THEN 'seed'
              WHEN s.stratum = 'near' OR x.family_id IS NOT NULL OR y.family_id IS NOT NULL THEN 'candidate'
              ELSE 'negative' END AS role,
         CASE WHEN s.stratum = 'near' THEN 'gate' WHEN x.family_id IS NOT NULL THEN 'cpc'
              WHEN y.family_id IS NOT NULL THEN 'citation' END AS reached_by,
         s.draw
  FROM strata s LEFT JOIN by_code x ON x.family_id = s.family_id LEFT JOIN by_citation y ON y.family_id = s.family_id
),
picked AS (
  SELECT family_id, CASE WHEN role = 'negative' THEN 'labelled' ELSE role END AS role, reached_by
  FROM roles WHERE role <> 'negative' OR family_id IN ($labelled)
  UNION ALL
  SELECT family_id, 'negative', NULL FROM (
    SELECT family_id, row_number() OVER (ORDER BY draw, family_id) AS k FROM roles WHERE role <> 'seed'
  ) r WHERE k <= $negatives
),
texts AS (
  SELECT family_id, left(string_agg(coalesce(title, '') || ' ' || coalesce(abstract, ''), ' '), $max_chars) AS text
  FROM ($versions) v
  WHERE family_id IN (SELECT family_id FROM picked)
  GROUP BY family_id
)
SELECT p.family_id, p.role, p.reached_by, coalesce(t.text, '') AS text
FROM picked p LEFT JOIN texts t ON t.family_id = p.family_id
ORDER BY p.family_id, p.role
