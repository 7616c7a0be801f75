-- The publications as the profile reads them (publications.sql): the columns it counts, with
-- the title and the abstract reduced to whether they are there, so that the slices of the
-- profile copy flags, not text.
SELECT publication_number, source, country_code, publication_date, priority_year, priority_date, filing_date,
       is_grant, grant_date, family_id,
       CASE WHEN coalesce(trim(title), '') <> '' THEN 1 ELSE 0 END AS has_title,
       CASE WHEN coalesce(trim(abstract), '') <> '' THEN 1 ELSE 0 END AS has_abstract,
       claims_count, reported_cited_by_count, reported_cites_count, reported_npl_count, reported_simple_family_size
FROM publications
