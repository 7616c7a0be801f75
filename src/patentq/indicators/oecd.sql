-- OECD patent quality indicators (Squicciarini, Dernis & Criscuolo 2013, OECD STI Working Paper
-- 2013/03), at IPC subclass level:
--   scope       = number of distinct IPC subclasses of the family (NULL without codes)
--   generality  = 1 - sum_j s_j^2, s_j = share of the citing families' classes in subclass j
--                 (each citing family spreads weight 1 over its subclasses); Hall (2005) bias
--                 correction x N/(N-1), N = classified citing families, when $hall (NULL for N = 1)
--   originality = the same over the cited families (backward citations)
--   radicalness = share of the cited families' subclass assignments that lie outside the
--                 family's own subclasses (Shane 2001, as adapted by OECD)
-- Sums of weights are exact (DECIMAL, then DOUBLE: sql.exact_sum), so the measures are the same
-- floats whatever order the rows come in (one part or many, any number of threads). A family's
-- weight 1/k is at most 1, so the first sums take it as DECIMAL(18, 17), a 64-bit integer (no
-- 128-bit arithmetic on the 175M rows at 10M families); the second sums, of weights summed over
-- many families, keep DECIMAL(38, 18).
-- One part of the table = one range of family keys (each predicate TRUE for one part): the
-- range's families; generality reads the links citing them with the citing family's subclasses,
-- originality and radicalness their own links with the cited family's subclasses: both from the
-- range's buckets of oecd_links.sql.
WITH gen_w AS (
  SELECT e.cited_key AS family_key, e.subclass_id, CAST(sum(CAST(e.weight AS DECIMAL(18, 17))) AS DOUBLE) AS w
  FROM $gen e GROUP BY e.cited_key, e.subclass_id
),
gen AS (
  SELECT family_key, CAST(sum(CAST(w AS DECIMAL(38, 18))) AS DOUBLE) AS n, 1 - CAST(sum(CAST(w * w AS DECIMAL(38, 18))) AS DOUBLE) / (CAST(sum(CAST(w AS DECIMAL(38, 18))) AS DOUBLE) * CAST(sum(CAST(w AS DECIMAL(38, 18))) AS DOUBLE)) AS herf_complement
  FROM gen_w GROUP BY family_key
),
-- one pass over the cited side serves originality (weights) and radicalness (assignment counts)
ori_w AS (
  SELECT e.citing_key AS family_key, e.subclass_id, CAST(sum(CAST(e.weight AS DECIMAL(18, 17))) AS DOUBLE) AS w, count(*) AS n_assigned
  FROM $ori e GROUP BY e.citing_key, e.subclass_id
),
ori AS (
  SELECT o.family_key, CAST(sum(CAST(o.w AS DECIMAL(38, 18))) AS DOUBLE) AS n,
         1 - CAST(sum(CAST(o.w * o.w AS DECIMAL(38, 18))) AS DOUBLE) / (CAST(sum(CAST(o.w AS DECIMAL(38, 18))) AS DOUBLE) * CAST(sum(CAST(o.w AS DECIMAL(38, 18))) AS DOUBLE)) AS herf_complement,
         sum(o.n_assigned) AS n_codes, sum(CASE WHEN own.subclass_id IS NULL THEN o.n_assigned ELSE 0 END) AS n_foreign
  FROM ori_w o
  LEFT JOIN (SELECT * FROM family_subclasses WHERE $range_f) own
    ON own.family_key = o.family_key AND own.subclass_id = o.subclass_id
  GROUP BY o.family_key
),
scope AS (SELECT family_key, count(*) AS scope FROM family_subclasses WHERE $range_f GROUP BY family_key)
SELECT f.family_key,
       sc.scope AS scope,  -- NULL when the family has no IPC or CPC code: unknown, not 0
       CAST(round(g.n) AS INTEGER) AS generality_n,
       CASE WHEN g.n IS NULL THEN NULL
            WHEN $hall AND round(g.n) <= 1 THEN NULL
            WHEN $hall THEN g.herf_complement * round(g.n) / (round(g.n) - 1)
            ELSE g.herf_complement END AS generality,
       CAST(round(o.n) AS INTEGER) AS originality_n,
       CASE WHEN o.n IS NULL THEN NULL
            WHEN $hall AND round(o.n) <= 1 THEN NULL
            WHEN $hall THEN o.herf_complement * round(o.n) / (round(o.n) - 1)
            ELSE o.herf_complement END AS originality,
       CASE WHEN sc.scope IS NULL OR o.n_codes IS NULL THEN NULL
            ELSE CAST(o.n_foreign AS DOUBLE) / o.n_codes END AS radicalness
FROM (SELECT family_key FROM families WHERE $range_f) f
LEFT JOIN scope sc ON f.family_key = sc.family_key
LEFT JOIN gen g ON f.family_key = g.family_key
LEFT JOIN ori o ON f.family_key = o.family_key
