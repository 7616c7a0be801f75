-- One row per subject publication with its office, year and a 0/1 per data field
-- (capabilities.FIELDS) saying whether the field is present for it. List fields
-- (citation_list, npl_list) and the family's members come from what the publication's
-- source provides (the provisions relation: source, field, provision), checked against the data.
-- family_short: 1 for a publication not granted whose source reports its family larger (Lens
-- "Simple Family Size", documents) than the lake holds publications of that family: a later
-- grant may be missing, so the family's grant is a lower bound.
-- One part = one hash slice of the publication number: the sources pubs (profile_pubs.sql) and
-- marks (profile_marks.sql) are one slice each (parts.buckets; the whole inputs for one part), so
-- each grouping below holds one slice of the publications, not all of them (at 100M families one
-- query spilled past 40 GB). Only the families that may be short are counted over the whole
-- table: their publications fall in every slice.
WITH pubs AS (
  SELECT *, coalesce(family_id, publication_number) AS fam FROM $pubs p
),
maybe_short AS (
  SELECT DISTINCT fam FROM pubs
  WHERE reported_simple_family_size IS NOT NULL AND NOT coalesce(is_grant, false) AND grant_date IS NULL
),
held AS (
  SELECT coalesce(family_id, publication_number) AS fam, count(*) AS held FROM publications
  WHERE coalesce(family_id, publication_number) IN (SELECT fam FROM maybe_short)
  GROUP BY coalesce(family_id, publication_number)
),
-- what the publication's rows in the other tables say, in one grouping of their union (one hash
-- table per slice, not four, and one join): its parties' countries and names, its CPC / IPC
-- codes, its priority claims with a country, its tags
side AS (
  SELECT publication_number, max(inventor_country) AS inventor_country, max(applicant_country) AS applicant_country,
         max(applicant_name) AS applicant_name, max(cpc) AS cpc, max(ipc) AS ipc,
         max(priority_numbers) AS priority_numbers, max(tags) AS tags
  FROM $marks u
  GROUP BY publication_number
),
provided AS (
  SELECT source,
         max(CASE WHEN field = 'citation_list' AND provision = 'yes' THEN 1 ELSE 0 END) AS citation_list,
         max(CASE WHEN field = 'npl_list' AND provision = 'yes' THEN 1 ELSE 0 END) AS npl_list,
         max(CASE WHEN field = 'family_members' AND provision = 'yes' THEN 1 ELSE 0 END) AS family_members
  FROM ($provisions) v GROUP BY source
)
SELECT p.publication_number, p.source, p.country_code AS office,
       CAST(coalesce(year(p.publication_date), p.priority_year, year(p.priority_date), year(p.filing_date)) AS INTEGER) AS year,
       CASE WHEN p.publication_date IS NOT NULL THEN 1 ELSE 0 END AS publication_date,
       CASE WHEN p.priority_date IS NOT NULL OR p.priority_year IS NOT NULL THEN 1 ELSE 0 END AS priority_date,
       CASE WHEN p.filing_date IS NOT NULL THEN 1 ELSE 0 END AS filing_date,
       CASE WHEN p.is_grant IS NOT NULL OR p.grant_date IS NOT NULL THEN 1 ELSE 0 END AS grant_status,
       CASE WHEN p.grant_date IS NOT NULL OR (p.is_grant AND p.publication_date IS NOT NULL) THEN 1 ELSE 0 END AS grant_date,
       CASE WHEN p.is_grant OR p.grant_date IS NOT NULL THEN 1 ELSE 0 END AS granted,
       CASE WHEN p.family_id IS NOT NULL AND NOT starts_with(p.family_id, '~') THEN 1 ELSE 0 END AS family_id,
       coalesce(s.inventor_country, 0) AS inventor_country,
       coalesce(s.applicant_country, 0) AS applicant_country,
       coalesce(s.applicant_name, 0) AS applicant_name,
       coalesce(s.cpc, 0) AS cpc, coalesce(s.ipc, 0) AS ipc,
       p.has_title AS title,
       p.has_abstract AS abstract,
       CASE WHEN p.claims_count IS NOT NULL THEN 1 ELSE 0 END AS claims,
       coalesce(v.citation_list, 0) AS citation_list,
       coalesce(v.npl_list, 0) AS npl_list,
       CASE WHEN p.reported_cited_by_count IS NOT NULL THEN 1 ELSE 0 END AS cited_by_reported,
       CASE WHEN p.reported_cites_count IS NOT NULL THEN 1 ELSE 0 END AS cites_reported,
       CASE WHEN p.reported_npl_count IS NOT NULL THEN 1 ELSE 0 END AS npl_reported,
       coalesce(v.family_members, 0) AS family_members,
       CASE WHEN p.reported_simple_family_size IS NOT NULL THEN 1 ELSE 0 END AS family_size_reported,
       coalesce(s.priority_numbers, 0) AS priority_numbers,
       coalesce(s.tags, 0) AS tags,
       CASE WHEN p.reported_simple_family_size > h.held AND NOT coalesce(p.is_grant, false) AND p.grant_date IS NULL
            THEN 1 ELSE 0 END AS family_short
FROM pubs p
LEFT JOIN held h ON h.fam = p.fam
LEFT JOIN side s ON s.publication_number = p.publication_number
LEFT JOIN provided v ON v.source = p.source
