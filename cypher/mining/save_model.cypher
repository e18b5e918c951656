// Store a trained model (joblib bytes, base64) of a mined tag as a new version.
// params: key, version, blob, meta, at, by
// returns: version
/* :params {key: "churn_risk", version: 1, blob: "", meta: "{}", at: datetime(), by: "cli"} */
CREATE (m:MinedModel {tag_key: $key, version: $version, blob: $blob, meta: $meta, created_at: $at, created_by: $by})
RETURN m.version AS version
