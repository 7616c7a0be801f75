-- family_codes (keyed by families.family_key): the classification codes the OECD measures and the
-- technology field read, one row per distinct code of the family: its IPC codes, or its CPC
-- codes where the family has no IPC code (the lists in families are already distinct). One rule,
-- read by subclasses.sql and fields.sql.
SELECT family_key, unnest(CASE WHEN array_length(ipc_codes) > 0 THEN ipc_codes ELSE cpc_codes END) AS code
FROM families
