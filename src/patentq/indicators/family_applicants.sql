-- family_applicants: the distinct applicant groups of each family (the one applicant -> group
-- rule, harmonize.party_groups_sql, over the applicants of family_values: every member's
-- applicants, already keyed by family). One part of the table = one range of family keys (TRUE
-- for one part): family_values and this table are in key order, so later steps read a range.
SELECT DISTINCT pg.family_key, pg.group_name AS applicant_key FROM ($party_groups) pg
