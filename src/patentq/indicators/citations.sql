-- Citations counted family to family: fwd_cits_N = distinct citing families whose citing
-- document was published within N years of the cited family's first publication (self-family
-- citations are already excluded in family_citations). _xapp excludes citing families sharing
-- an applicant (group where harmonised); _xy counts only X/Y-category citations and is NULL
-- when the lake holds no categories. Where the lake has no citation lists for a family's
-- documents but a source reported counts (Lens), the reported counts are used and
-- fwd_cits_source = 'reported'.
WITH windows AS (
  SELECT family_key,
         CAST(first_publication_date + INTERVAL 3 YEAR AS DATE) AS end_3,
         CAST(first_publication_date + INTERVAL 5 YEAR AS DATE) AS end_5,
         CAST(first_publication_date + INTERVAL 7 YEAR AS DATE) AS end_7
  FROM families
),
fwd AS (
  SELECT e.cited_key AS family_key,
         count(*) AS fwd_total,
         count(*) FILTER (WHERE e.citing_date <= w.end_3) AS fwd_3,
         count(*) FILTER (WHERE e.citing_date <= w.end_5) AS fwd_5,
         count(*) FILTER (WHERE e.citing_date <= w.end_7) AS fwd_7,
         count(*) FILTER (WHERE s.citing_key IS NULL AND e.citing_date <= w.end_5) AS fwd_5_xapp,
         count(*) FILTER (WHERE e.xy_date <= w.end_5) AS fwd_5_xy
  FROM family_citations e JOIN windows w ON e.cited_key = w.family_key
  LEFT JOIN family_shared_applicants s ON e.citing_key = s.citing_key AND e.cited_key = s.cited_key
  WHERE e.link = 'family'
  GROUP BY e.cited_key
),
own AS (
  SELECT citing_key AS family_key,
         count(*) AS citation_rows,
         count(*) FILTER (WHERE link IN ('family', 'outside')) AS bwd_cits,
         count(*) FILTER (WHERE link = 'family') AS bwd_cits_in_lake,
         count(*) FILTER (WHERE link = 'npl') AS npl_cits
  FROM family_citations GROUP BY citing_key
),
reported AS (
  SELECT family_key, max(reported_cited_by_count) AS rep_fwd, max(reported_cites_count) AS rep_bwd,
         max(reported_npl_count) AS rep_npl
  FROM family_members
  WHERE reported_cited_by_count IS NOT NULL OR reported_cites_count IS NOT NULL OR reported_npl_count IS NOT NULL
  GROUP BY family_key
),
-- whether the lake has categories at all: the first categorised row answers it
lake AS (SELECT count(*) AS categorised FROM (SELECT 1 AS one FROM citations WHERE category IS NOT NULL AND category <> '' LIMIT 1) c),
base AS (
  SELECT f.family_key, f.first_publication_date,
         coalesce(o.citation_rows, 0) = 0 AND r.rep_fwd IS NOT NULL AND fwd.family_key IS NULL AS use_reported,
         fwd.fwd_total, fwd.fwd_3, fwd.fwd_5, fwd.fwd_7, fwd.fwd_5_xapp, fwd.fwd_5_xy,
         o.bwd_cits, o.bwd_cits_in_lake, o.npl_cits, o.citation_rows, r.rep_fwd, r.rep_bwd, r.rep_npl,
         lake.categorised
  FROM families f
  CROSS JOIN lake
  LEFT JOIN fwd ON f.family_key = fwd.family_key
  LEFT JOIN own o ON f.family_key = o.family_key
  LEFT JOIN reported r ON f.family_key = r.family_key
)
SELECT family_key,
       CASE WHEN use_reported THEN 'reported' ELSE 'computed' END AS fwd_cits_source,
       CASE WHEN use_reported THEN rep_fwd ELSE coalesce(fwd_total, 0) END AS fwd_cits_total,
       CASE WHEN use_reported THEN rep_fwd WHEN first_publication_date IS NULL THEN NULL ELSE coalesce(fwd_3, 0) END AS fwd_cits_3,
       CASE WHEN use_reported THEN rep_fwd WHEN first_publication_date IS NULL THEN NULL ELSE coalesce(fwd_5, 0) END AS fwd_cits_5,
       CASE WHEN use_reported THEN rep_fwd WHEN first_publication_date IS NULL THEN NULL ELSE coalesce(fwd_7, 0) END AS fwd_cits_7,
       CASE WHEN use_reported OR first_publication_date IS NULL THEN NULL ELSE coalesce(fwd_5_xapp, 0) END AS fwd_cits_5_xapp,
       CASE WHEN use_reported OR first_publication_date IS NULL OR categorised = 0 THEN NULL ELSE coalesce(fwd_5_xy, 0) END
         AS fwd_cits_5_xy,
       CASE WHEN first_publication_date IS NULL THEN NULL
            ELSE CAST(first_publication_date + INTERVAL 3 YEAR AS DATE) <= $latest_date END AS window_complete_3,
       CASE WHEN first_publication_date IS NULL THEN NULL
            ELSE CAST(first_publication_date + INTERVAL 5 YEAR AS DATE) <= $latest_date END AS window_complete_5,
       CASE WHEN first_publication_date IS NULL THEN NULL
            ELSE CAST(first_publication_date + INTERVAL 7 YEAR AS DATE) <= $latest_date END AS window_complete_7,
       CASE WHEN coalesce(citation_rows, 0) = 0 AND rep_bwd IS NOT NULL THEN rep_bwd ELSE coalesce(bwd_cits, 0) END AS bwd_cits,
       coalesce(bwd_cits_in_lake, 0) AS bwd_cits_in_lake,
       CASE WHEN coalesce(citation_rows, 0) = 0 AND rep_npl IS NOT NULL THEN rep_npl ELSE coalesce(npl_cits, 0) END AS npl_cits
FROM base
