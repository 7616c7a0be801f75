-- whether any family of family_origin_bits lists a country without a bit (1 or 0): without one,
-- forward_links.sql leaves the three lists out of the links it writes
SELECT count(*) AS n FROM (
  SELECT 1 AS one FROM family_origin_bits
  WHERE inv_rare IS NOT NULL OR app_rare IS NOT NULL OR off_rare IS NOT NULL LIMIT 1
) r
