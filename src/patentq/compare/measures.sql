-- One row per (family, group): weight, year and the per-family measures as 0/1 or numbers.
-- abroad_of_group: the family has a member at an office other than the group's own and other
-- than WO (attribution.filed_outside_sql, the one spelling of that rule); NULL when groups are
-- not countries or offices, and for UNKNOWN. frac: the fractional weight concentration uses
-- ($frac), NULL for UNKNOWN; top10: in the top 10 % of the cohort by the --quality basis (the
-- quality-adjusted count; measures.measures_sql); top1: in the top 1 % of the cohort (breakthrough). Ordered, so that
-- sums over it add in the same order every run (the same floats every time).
SELECT a.family_id, u.unit_id, a.grp, a.weight, u.year,
  CASE WHEN a.grp <> 'UNKNOWN' THEN $frac END AS frac,
  CASE WHEN i.filed_abroad THEN 1.0 WHEN NOT i.filed_abroad THEN 0.0 END AS filed_abroad,
  CASE WHEN a.outside THEN 1.0 WHEN NOT a.outside THEN 0.0 END AS abroad_of_group,
  CASE WHEN i.ip5_offices >= 2 THEN 1.0 WHEN i.ip5_offices IS NOT NULL THEN 0.0 END AS ip5,
  CASE WHEN i.triadic THEN 1.0 WHEN NOT i.triadic THEN 0.0 END AS triadic,
  CASE WHEN i.reach_basis = 'lower bound' THEN 1.0 WHEN i.reach_basis IS NOT NULL THEN 0.0 END AS reach_lower,
  CASE WHEN i.granted THEN 1.0 WHEN i.pending THEN NULL WHEN NOT i.granted THEN 0.0 END AS granted,
  CASE WHEN i.window_complete_5 THEN i.fwd_cits_5_rel END AS fwd_rel,
  CASE WHEN i.window_complete_5 AND $quality_flag THEN 1.0 WHEN i.window_complete_5 THEN 0.0 END AS top10,
  CASE WHEN i.window_complete_5 AND i.breakthrough THEN 1.0 WHEN i.window_complete_5 THEN 0.0 END AS top1,
  i.fwd_cits_total AS fwd_total,
  i.quality_index_4 AS qi4,
  i.claims AS claims,
  CASE WHEN i.window_complete_5 THEN 1 ELSE 0 END AS complete,
  i.fwd_cits_source AS fwd_source
FROM ($attributed) a
JOIN ($universe) u ON u.family_id = a.family_id
LEFT JOIN family_indicators i ON i.family_id = a.family_id
ORDER BY a.family_id, a.grp
