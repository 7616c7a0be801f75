-- Each family link with the IPC subclasses of one of its ends, for one range of that end's
-- families (its predicates TRUE for one part): the input of oecd.sql, written into buckets of the
-- other end's ranges (indicators.write_groups). Generality reads the citing end's subclasses per
-- cited family, originality and radicalness the cited end's per citing family; joined range by
-- range here, the subclasses of only one range are ever held, and each part of oecd.sql reads the
-- rows of its own families. family_citations is written in ranges of citing families, each sorted
-- by cited family, so a range of either end reads few row groups.
SELECT e.$other, s.subclass_id, s.weight
FROM family_citations e
JOIN (SELECT family_key, subclass_id, weight FROM family_subclasses WHERE $subclass_range) s ON s.family_key = e.$end
WHERE e.link = 'family' AND $end_range
