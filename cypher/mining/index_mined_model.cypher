// Range index on MinedModel.tag_key: a mined tag's stored models.
// params:
CREATE INDEX mined_model_tag IF NOT EXISTS FOR (n:MinedModel) ON (n.tag_key)
