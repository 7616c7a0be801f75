SELECT count(DISTINCT family_id) AS families,
       count(DISTINCT CASE WHEN top10 = 1.0 THEN family_id END) AS top10,
       count(DISTINCT CASE WHEN top1 = 1.0 THEN family_id END) AS top1,
       count(DISTINCT CASE WHEN complete = 1 THEN family_id END) AS complete,
       min(CASE WHEN complete = 1 THEN year END) AS complete_from,
       max(CASE WHEN complete = 1 THEN year END) AS complete_to,
       count(DISTINCT CASE WHEN fwd_source = 'reported' THEN family_id END) AS reported,
       min(year) AS year_from, max(year) AS year_to
FROM $view
