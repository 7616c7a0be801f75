-- the latest date each source's publications carry (its data's end, where it has dates)
SELECT source, max(greatest(coalesce(publication_date, DATE '0001-01-01'), coalesce(grant_date, DATE '0001-01-01'),
                            coalesce(filing_date, DATE '0001-01-01'))) AS last_date
FROM publications GROUP BY source
