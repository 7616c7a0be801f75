SELECT model, organization FROM notable_models $where
