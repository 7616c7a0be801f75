-- Grant: granted anywhere; grant lag = days from the filing of the first-granted member (else
-- the family's earliest filing, else its priority date) to the first grant (OECD "grant lag",
-- Squicciarini et al. 2013, there measured at the EPO). pending = not granted and filed less than
-- the pending years before the data's end date (the latest date of the indicators stage):
-- without legal-status data this is how young applications are kept out of the refusal count,
-- so a grant rate counts only families whose fate is known by the time the data ends. A family
-- with only a priority year (CSET) is taken as filed on the last day of that year.
-- Utility models (WIPO ST.16 kind codes U* and Y*: CN U/Y, JP U/Y, KR U/Y, DE U1, ...) are
-- registered without substantive examination, so they are neither granted nor refused patents:
-- the OECD Patent Statistics Manual (2009) counts them apart from patents. A family whose
-- members are all utility models has granted and pending NULL (grant_basis 'utility model') and
-- leaves the grant rate; in a family with invention documents too, only those decide the grant.
-- grant_basis: 'utility model'; 'lower bound' for a family not granted whose source reports more
-- documents (reported_family_size) than the lake holds (a Lens export of one row per family
-- often lacks the later grant); else 'members'. One part = the families of one key range ($key_range).
WITH um AS (
  SELECT family_key,
         count(*) FILTER (WHERE NOT utility) AS inventions,
         max(CASE WHEN is_grant AND NOT utility THEN 1 ELSE 0 END) = 1 AS invention_granted,
         min(CASE WHEN is_grant AND NOT utility THEN coalesce(grant_date, publication_date) END) AS invention_grant_date
  FROM (SELECT family_key, is_grant, grant_date, publication_date,
               coalesce(upper(substr(kind_code, 1, 1)) IN ('U', 'Y'), false) AS utility
        FROM family_members WHERE $key_range) m
  GROUP BY family_key
  HAVING bool_or(utility)  -- only families with a utility model: one scan of the members
),
filed AS (
  SELECT f.family_key, f.members, f.reported_family_size, f.first_filing_date, f.priority_date,
         CASE WHEN u.family_key IS NULL THEN f.granted WHEN u.inventions > 0 THEN u.invention_granted END AS granted,
         CASE WHEN u.family_key IS NULL THEN f.first_grant_date ELSE u.invention_grant_date END AS grant_on,
         CASE WHEN u.family_key IS NULL OR f.first_grant_date = u.invention_grant_date
              THEN coalesce(f.first_grant_filing_date, f.first_filing_date, f.priority_date)
              ELSE coalesce(f.first_filing_date, f.priority_date) END AS grant_filed,
         u.inventions = 0 AS utility_model,
         coalesce(f.first_filing_date, f.priority_date,
                  CASE WHEN f.priority_year IS NOT NULL THEN make_date(f.priority_year, 12, 31) END,
                  f.first_publication_date) AS filed_on
  FROM (SELECT * FROM families WHERE $key_range) f LEFT JOIN um u ON f.family_key = u.family_key
)
SELECT family_key,
       granted,
       CASE WHEN granted AND grant_on >= grant_filed THEN date_diff('day', grant_filed, grant_on) END AS grant_lag_days,
       CASE WHEN granted THEN false
            WHEN granted IS NULL OR filed_on IS NULL THEN NULL
            ELSE CAST(filed_on + INTERVAL $pending_years YEAR AS DATE) > $latest_date
       END AS pending,
       CASE WHEN utility_model THEN 'utility model'
            WHEN NOT granted AND reported_family_size > members THEN 'lower bound'
            ELSE 'members' END AS grant_basis
FROM filed
