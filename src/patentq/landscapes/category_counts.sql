SELECT dimension, category, count(DISTINCT family_id) AS families FROM $categories GROUP BY dimension, category
