-- One part's rows of family_members (members.sql writes this subquery at each of its uses): every
-- publication with its resolved family id, for one range of resolved family ids ($family_range;
-- TRUE when the table is written in one part). Rows whose own id is outside the range are
-- dropped before the join unless they are surrogates, which the join may rename into it.
(
  SELECT s.*, coalesce(m.docdb_family_id, s.raw_family_id) AS family_id
  FROM (
    SELECT p.publication_number, coalesce(p.family_id, '~pub:' || p.publication_number) AS raw_family_id,
           $base_pn AS base_number,
           p.country_code, p.kind_code, p.extended_family_id, p.publication_date, p.filing_date, p.priority_date,
           p.priority_year, p.grant_date, CASE WHEN p.is_grant OR p.grant_date IS NOT NULL THEN 1 ELSE 0 END AS is_grant,
           p.claims_count, p.reported_cited_by_count, p.reported_cites_count, p.reported_npl_count,
           p.reported_simple_family_size,
           coalesce(v.lists_citations, 0) AS lists_citations, coalesce(v.lists_npl, 0) AS lists_npl,
           coalesce(v.lists_members, 0) AS lists_members
    FROM publications p LEFT JOIN provided v ON v.source = p.source
    WHERE p.publication_number IS NOT NULL
  ) s LEFT JOIN surrogate_map m ON s.raw_family_id = m.surrogate_id
  WHERE (s.raw_family_id LIKE '~%' OR $raw_range) AND $family_range
)
