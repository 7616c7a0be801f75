-- Citations counted family to family: fwd_cits_N = distinct citing families whose citing
-- document was published within N years of the cited family's first publication (self-family
-- citations are already excluded in family_citations). _xapp excludes citing families sharing
-- an applicant group; _xy counts only X/Y-category citations and is NULL when the lake holds no
-- categories.
-- A count is only as good as its inputs, so each measure is chosen on its own, with its source:
--   fwd_cits_3/5/7, _xapp, _xy: recounted from citation lists; NULL when no source of the lake
--     gives citation lists (a Lens or CSET lake): a reported lifetime count is not a windowed one.
--   fwd_cits_total: the source's reported lifetime count (Lens "Cited by Patent Count") where the
--     lake's lists do not cite the family, else the recount; NULL with neither.
--   bwd_cits / npl_cits: the recount where a member's source lists them (an empty list is a real
--     0), else the reported count, else NULL.
-- *_source says which: 'computed' | 'reported' | NULL (absent).
-- Forward links come from forward.sql: the lake's family links and, where the lake
-- holds context documents, the citing families outside the export (fwd_cits_basis 'world', else
-- 'lake'), each labelled: fwd_cits_5_foreign counts citing families sharing no inventor country
-- (else applicant country, else office) with the cited family, share_foreign_citations = foreign /
-- 5-year citing families whose origin is known; fwd_cits_5_examiner / _applicant count those an
-- examiner (search reports included) / the applicant cited, NULL when the lake's citations carry
-- no origin; fwd_cits_5_context counts the 5-year citing families only the context shows.
-- One part of the table = one range of family keys (each predicate TRUE for one part): the
-- range's families, the forward links citing them (forward.sql, filled in for the range) and
-- their own citations (family_citations is written in citing-key parts: a range's row groups).
WITH fwd AS (
  SELECT e.cited_key AS family_key,
         count(*) AS fwd_total,
         count(*) FILTER (WHERE e.citing_date <= e.end_3) AS fwd_3,
         count(*) FILTER (WHERE e.citing_date <= e.end_5) AS fwd_5,
         count(*) FILTER (WHERE e.citing_date <= e.end_7) AS fwd_7,
         count(*) FILTER (WHERE NOT e.shared AND e.citing_date <= e.end_5) AS fwd_5_xapp,
         count(*) FILTER (WHERE e.xy_date <= e.end_5) AS fwd_5_xy,
         count(*) FILTER (WHERE e.is_foreign AND e.citing_date <= e.end_5) AS fwd_5_foreign,
         count(*) FILTER (WHERE e.is_foreign IS NOT NULL AND e.citing_date <= e.end_5) AS fwd_5_known,
         count(*) FILTER (WHERE e.examiner_date <= e.end_5) AS fwd_5_examiner,
         count(*) FILTER (WHERE e.applicant_date <= e.end_5) AS fwd_5_applicant,
         count(*) FILTER (WHERE e.context = 1 AND e.citing_date <= e.end_5) AS fwd_5_context
  FROM ($forward) e
  GROUP BY e.cited_key
),
own AS (
  SELECT citing_key AS family_key,
         count(*) AS citation_rows,
         count(*) FILTER (WHERE link IN ('family', 'outside')) AS bwd_cits,
         count(*) FILTER (WHERE link = 'family') AS bwd_cits_in_lake,
         count(*) FILTER (WHERE link = 'npl') AS npl_cits
  FROM family_citations WHERE $range_citing GROUP BY citing_key
),
reported AS (
  SELECT family_key, max(reported_cited_by_count) AS rep_fwd, max(reported_cites_count) AS rep_bwd,
         max(reported_npl_count) AS rep_npl
  FROM family_members
  WHERE $range_f
    AND (reported_cited_by_count IS NOT NULL OR reported_cites_count IS NOT NULL OR reported_npl_count IS NOT NULL)
  GROUP BY family_key
),
-- whether the lake has categories at all: the first categorised row answers it
lake AS (
  SELECT (SELECT count(*) FROM (SELECT 1 AS one FROM citations WHERE category IS NOT NULL AND category <> '' LIMIT 1) c)
           AS categorised,
         (SELECT count(*) FROM (SELECT 1 AS one FROM citations WHERE origin IN ($examiner_origins, 'applicant') LIMIT 1) o)
           AS originated,
         (SELECT count(*) FROM (SELECT 1 AS one FROM families WHERE lists_citations LIMIT 1) l) AS lake_lists
),
base AS (
  SELECT f.family_key, f.first_publication_date, f.lists_citations, f.lists_npl,
         lake.lake_lists = 1 AND f.first_publication_date IS NOT NULL AS windowed,
         fwd.fwd_total, fwd.fwd_3, fwd.fwd_5, fwd.fwd_7, fwd.fwd_5_xapp, fwd.fwd_5_xy, fwd.fwd_5_foreign,
         fwd.fwd_5_known, fwd.fwd_5_examiner, fwd.fwd_5_applicant, fwd.fwd_5_context, lake.originated,
         o.bwd_cits, o.bwd_cits_in_lake, o.npl_cits, r.rep_fwd, r.rep_bwd, r.rep_npl,
         lake.categorised, lake.lake_lists
  FROM (SELECT * FROM families WHERE $range_f) f
  CROSS JOIN lake
  LEFT JOIN fwd ON f.family_key = fwd.family_key
  LEFT JOIN own o ON f.family_key = o.family_key
  LEFT JOIN reported r ON f.family_key = r.family_key
),
chosen AS (
  SELECT *,
         CASE WHEN rep_fwd IS NOT NULL AND (lake_lists = 0 OR fwd_total IS NULL) THEN 'reported'
              WHEN lake_lists = 1 THEN 'computed' END AS fwd_total_source,
         CASE WHEN lists_citations THEN 'computed' WHEN rep_bwd IS NOT NULL THEN 'reported' END AS bwd_source,
         CASE WHEN lists_npl THEN 'computed' WHEN rep_npl IS NOT NULL THEN 'reported' END AS npl_source
  FROM base
)
SELECT family_key,
       fwd_total_source AS fwd_cits_source,
       CASE fwd_total_source WHEN 'reported' THEN rep_fwd WHEN 'computed' THEN coalesce(fwd_total, 0) END
         AS fwd_cits_total,
       CASE WHEN windowed THEN coalesce(fwd_3, 0) END AS fwd_cits_3,
       CASE WHEN windowed THEN coalesce(fwd_5, 0) END AS fwd_cits_5,
       CASE WHEN windowed THEN coalesce(fwd_7, 0) END AS fwd_cits_7,
       CASE WHEN windowed THEN coalesce(fwd_5_xapp, 0) END AS fwd_cits_5_xapp,
       CASE WHEN windowed AND categorised = 1 THEN coalesce(fwd_5_xy, 0) END AS fwd_cits_5_xy,
       CASE WHEN windowed THEN CAST(first_publication_date + INTERVAL 3 YEAR AS DATE) <= $latest_date END
         AS window_complete_3,
       CASE WHEN windowed THEN CAST(first_publication_date + INTERVAL 5 YEAR AS DATE) <= $latest_date END
         AS window_complete_5,
       CASE WHEN windowed THEN CAST(first_publication_date + INTERVAL 7 YEAR AS DATE) <= $latest_date END
         AS window_complete_7,
       bwd_source AS bwd_cits_source,
       CASE bwd_source WHEN 'computed' THEN coalesce(bwd_cits, 0) WHEN 'reported' THEN rep_bwd END AS bwd_cits,
       CASE WHEN lists_citations THEN coalesce(bwd_cits_in_lake, 0) END AS bwd_cits_in_lake,
       npl_source AS npl_cits_source,
       CASE npl_source WHEN 'computed' THEN coalesce(npl_cits, 0) WHEN 'reported' THEN rep_npl END AS npl_cits,
       CASE WHEN windowed THEN coalesce(fwd_5_foreign, 0) END AS fwd_cits_5_foreign,
       CASE WHEN windowed AND fwd_5_known > 0 THEN fwd_5_foreign * 1.0 / fwd_5_known END AS share_foreign_citations,
       CASE WHEN windowed AND originated = 1 THEN coalesce(fwd_5_examiner, 0) END AS fwd_cits_5_examiner,
       CASE WHEN windowed AND originated = 1 THEN coalesce(fwd_5_applicant, 0) END AS fwd_cits_5_applicant,
       CASE WHEN windowed THEN coalesce(fwd_5_context, 0) END AS fwd_cits_5_context,
       CASE WHEN windowed OR fwd_total_source = 'computed' THEN $forward_basis END AS fwd_cits_basis
FROM chosen
