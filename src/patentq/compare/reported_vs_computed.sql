-- Families of the comparison whose source reports a forward-citation count (Lens "Cited by
-- Patent Count"), set against the forward citations computed from citation records.
SELECT count(*) AS families,
       CAST(sum(CASE WHEN r.reported = i.fwd_cits_total THEN 1 ELSE 0 END) AS BIGINT) AS equal,
       avg(r.reported) AS mean_reported, avg(i.fwd_cits_total) AS mean_computed
FROM (
  SELECT m.family_id, max(p.reported_cited_by_count) AS reported
  FROM publications p JOIN family_members m ON m.publication_number = p.publication_number
  WHERE p.reported_cited_by_count IS NOT NULL GROUP BY m.family_id
) r
JOIN family_indicators i ON i.family_id = r.family_id
WHERE r.family_id IN (SELECT family_id FROM cmp_x)
  -- only where the lake computes forward citations at all: else the reported count is set against itself
  AND EXISTS (SELECT 1 FROM family_indicators WHERE fwd_cits_source = 'computed')
