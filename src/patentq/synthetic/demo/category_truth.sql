SELECT dimension, category, count(DISTINCT family_id) AS n FROM landscape_genai_categories
WHERE dimension IN ('model', 'mode') GROUP BY dimension, category
