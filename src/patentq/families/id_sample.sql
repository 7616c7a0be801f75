-- A sample of the resolved-or-raw family ids, to cut family_members into parts of about as many
-- publications each (families/__init__.py, family_id_bounds)
SELECT coalesce(family_id, '~pub:' || publication_number) AS f FROM publications
WHERE publication_number IS NOT NULL USING SAMPLE reservoir(100000 ROWS) REPEATABLE (17)
