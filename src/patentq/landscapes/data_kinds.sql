-- which kinds of data a lake holds for matching landscapes (any row at all)
SELECT
  EXISTS (SELECT 1 FROM publications WHERE coalesce(trim(title), '') <> '') AS title,
  EXISTS (SELECT 1 FROM publications WHERE coalesce(trim(abstract), '') <> '') AS abstract,
  EXISTS (SELECT 1 FROM publications WHERE coalesce(trim(claims_text), '') <> '') AS claims_text,
  EXISTS (SELECT 1 FROM classifications WHERE scheme = 'cpc') AS cpc,
  EXISTS (SELECT 1 FROM classifications WHERE scheme = 'ipc') AS ipc
