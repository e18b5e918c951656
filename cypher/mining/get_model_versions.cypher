// The highest stored model version of a mined tag (0 when none).
// params: key
// returns: version
/* :params {key: "churn_risk"} */
OPTIONAL MATCH (m:MinedModel {tag_key: $key})
RETURN coalesce(max(m.version), 0) AS version
