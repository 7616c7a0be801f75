-- the largest family key of the lake's and the context's families (the key ranges of
-- family_origin_bits)
SELECT greatest((SELECT coalesce(max(family_key), 0) FROM families),
                (SELECT coalesce(max(family_key), 0) FROM family_context_members))
