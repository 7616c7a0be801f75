-- The citations as family_citation_targets reads them (targets.sql): one row per citation of a
-- patent document or an NPL reference, with the cited number's base number (without kind) and
-- the X/Y and origin flags computed once (sliced by coalesce(cited_base, npl_text)).
SELECT citing_publication_number AS citing_pn, cited_publication_number AS cited_pn, npl_text,
       $cited_base AS cited_base,
       CASE WHEN category LIKE '%X%' OR category LIKE '%Y%' THEN 1 ELSE 0 END AS xy,
       $origin_flags
FROM citations
WHERE citing_publication_number IS NOT NULL AND (cited_publication_number IS NOT NULL OR npl_text IS NOT NULL)
