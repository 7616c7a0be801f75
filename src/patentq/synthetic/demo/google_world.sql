-- The whole synthetic world in the layout of BigQuery's patents-public-data.patents.publications:
-- one row per published document with its nested titles, parties, classifications, citations and
-- priority claims (dates as YYYYMMDD integers, 0 for none). The demo's three exports are the
-- queries of `patentq export-query google` run on it (export.py). Inputs are the flat Arrow
-- tables of export.py: pubs, parties, cpc, cites.
WITH inv AS (
  SELECT fam, list({'name': name, 'country_code': country} ORDER BY seq) AS harmonized,
         list({'name': name, 'country_code': ''} ORDER BY seq) AS blanked
  FROM parties WHERE role = 'inventor' GROUP BY fam),
app AS (
  SELECT fam, list({'name': name, 'country_code': country} ORDER BY seq) AS harmonized
  FROM parties WHERE role = 'applicant' GROUP BY fam),
cls AS (
  SELECT fam, list({'code': code, 'inventive': true, 'first': is_first, 'tree': []::VARCHAR[]}) AS cpc,
         list({'code': split_part(code, '/', 1) || '/' || left(split_part(code, '/', 2), 2), 'inventive': true,
               'first': is_first, 'tree': []::VARCHAR[]}) AS ipc
  FROM cpc GROUP BY fam),
cit AS (
  SELECT citing, list({'publication_number': cited, 'application_number': '', 'npl_text': npl_text,
                       'type': category, 'category': type, 'filing_date': 0}) AS citation
  FROM cites GROUP BY citing)
SELECT p.publication_number, p.application_number, p.country_code, p.kind_code, p.family_id,
  [{'text': p.title, 'language': 'en', 'truncated': false}] AS title_localized,
  [{'text': p.abstract || ' [$note]', 'language': 'en', 'truncated': false}] AS abstract_localized,
  [{'text': p.claims, 'language': 'en', 'truncated': false}] AS claims_localized,
  p.publication_date, p.filing_date, p.grant_date, p.priority_date,
  CASE WHEN p.is_first THEN []
       ELSE [{'publication_number': '', 'application_number': p.prio_app, 'npl_text': '', 'type': '',
              'category': '', 'filing_date': p.priority_date}] END AS priority_claim,
  CASE WHEN p.blank_inventor_country THEN inv.blanked ELSE inv.harmonized END AS inventor_harmonized,
  app.harmonized AS assignee_harmonized,
  cls.cpc, cls.ipc, coalesce(cit.citation, []) AS citation
FROM pubs p JOIN inv USING (fam) JOIN app USING (fam) JOIN cls USING (fam)
LEFT JOIN cit ON cit.citing = p.publication_number
ORDER BY p.publication_number
