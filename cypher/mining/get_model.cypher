// One stored model version of a mined tag.
// params: key, version
// returns: blob, meta
/* :params {key: "churn_risk", version: 1} */
MATCH (m:MinedModel {tag_key: $key, version: $version})
RETURN m.blob AS blob, m.meta AS meta
