-- landscape_<name>_model: the classifier's IDF and coefficient per hashed feature (feature -1:
-- the intercept), so explain can decompose a score without retraining
SELECT feature, idf, coef FROM refine_model_arrow
