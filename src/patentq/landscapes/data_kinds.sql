-- which kinds of data a lake holds for matching landscapes (any row at all); text fields from
-- publications or from the language versions in texts
SELECT
  EXISTS (SELECT 1 FROM publications WHERE coalesce(trim(title), '') <> '')
    OR EXISTS (SELECT 1 FROM texts WHERE field = 'title') AS title,
  EXISTS (SELECT 1 FROM publications WHERE coalesce(trim(abstract), '') <> '')
    OR EXISTS (SELECT 1 FROM texts WHERE field = 'abstract') AS abstract,
  EXISTS (SELECT 1 FROM publications WHERE coalesce(trim(claims_text), '') <> '')
    OR EXISTS (SELECT 1 FROM texts WHERE field = 'claims') AS claims_text,
  EXISTS (SELECT 1 FROM classifications WHERE scheme = 'cpc') AS cpc,
  EXISTS (SELECT 1 FROM classifications WHERE scheme = 'ipc') AS ipc,
  EXISTS (SELECT 1 FROM publications WHERE language IS NULL AND coalesce(trim(title), '') <> '') AS unknown_language
