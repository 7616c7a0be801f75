SELECT count(*) AS families, coalesce(sum(matched_publications), 0) AS publications FROM $members
