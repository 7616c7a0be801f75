-- Grant: granted anywhere; grant lag = days from the filing of the first-granted member (else
-- the family's earliest filing, else its priority date) to the first grant (OECD "grant lag",
-- Squicciarini et al. 2013, there measured at the EPO). pending = not granted and filed less than
-- $pending_years years before the lake's latest publication date: without legal-status data
-- this is how young applications are kept out of the refusal count.
SELECT family_key,
       granted,
       CASE WHEN granted AND first_grant_date >= coalesce(first_grant_filing_date, first_filing_date, priority_date)
            THEN date_diff('day', coalesce(first_grant_filing_date, first_filing_date, priority_date), first_grant_date)
       END AS grant_lag_days,
       CASE WHEN granted THEN false
            WHEN coalesce(first_filing_date, priority_date, first_publication_date) IS NULL THEN NULL
            ELSE CAST(coalesce(first_filing_date, priority_date, first_publication_date) + INTERVAL $pending_years YEAR AS DATE)
                 > $latest_date
       END AS pending
FROM families
