-- landscape_<name>_scores: every family refine scored (seed, candidates, labelled families)
SELECT family_id, score, rule_member, member, reached_by FROM refine_scores_arrow
