-- The inputs of values.sql, each sliced by a hash of its publication number (parts.buckets):
-- only the rows and columns it reads. One statement per input, in the order of
-- families.VALUE_INPUTS: codes, parties, priorities, members.
SELECT publication_number, scheme, code FROM classifications WHERE code IS NOT NULL AND scheme IN ('cpc', 'ipc');
SELECT publication_number, role, country_code, name, group_name FROM parties WHERE role IN ('inventor', 'applicant');
SELECT publication_number, priority_country, priority_date FROM priorities;
SELECT publication_number, family_key FROM family_members;
