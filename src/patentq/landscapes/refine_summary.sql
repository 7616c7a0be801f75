SELECT
  (SELECT count(*) FROM $refined) AS families,
  (SELECT count(*) FROM $scores WHERE rule_member) AS rule_members,
  (SELECT count(*) FROM $scores WHERE member AND NOT rule_member) AS added,
  (SELECT count(*) FROM $scores WHERE rule_member AND NOT member) AS dropped,
  (SELECT count(*) FROM $scores) AS scored
