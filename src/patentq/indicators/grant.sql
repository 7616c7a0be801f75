-- Grant: granted anywhere; grant lag = days from the filing of the first-granted member (else
-- the family's earliest filing, else its priority date) to the first grant (OECD "grant lag",
-- Squicciarini et al. 2013, there measured at the EPO). pending = not granted and filed less than
-- the pending years before the data's end date (the latest date of the indicators stage):
-- without legal-status data this is how young applications are kept out of the refusal count,
-- so a grant rate counts only families whose fate is known by the time the data ends. A family
-- with only a priority year (CSET) is taken as filed on the last day of that year.
WITH filed AS (
  SELECT family_key, granted, first_grant_date, first_grant_filing_date, first_filing_date, priority_date,
         coalesce(first_filing_date, priority_date,
                  CASE WHEN priority_year IS NOT NULL THEN make_date(priority_year, 12, 31) END,
                  first_publication_date) AS filed_on
  FROM families
)
SELECT family_key,
       granted,
       CASE WHEN granted AND first_grant_date >= coalesce(first_grant_filing_date, first_filing_date, priority_date)
            THEN date_diff('day', coalesce(first_grant_filing_date, first_filing_date, priority_date), first_grant_date)
       END AS grant_lag_days,
       CASE WHEN granted THEN false
            WHEN filed_on IS NULL THEN NULL
            ELSE CAST(filed_on + INTERVAL $pending_years YEAR AS DATE) > $latest_date
       END AS pending
FROM filed
