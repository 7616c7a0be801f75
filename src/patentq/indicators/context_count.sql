-- how many context documents the indicators count (context.write_context_links)
SELECT count(*) FROM family_context_members
