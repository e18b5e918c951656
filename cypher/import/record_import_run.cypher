// Records one import run (when, from where, row counts) as an ImportRun node.
// params: id, props
// returns: id
/* :params {id: "import-20260101T000000Z-1a2b", props: {source: "/data/crm", started_at: datetime("2026-01-01T00:00:00Z"), finished_at: datetime("2026-01-01T00:01:00Z"), rows: 1200, rejected: 3}} */
MERGE (r:ImportRun {id: $id})
SET r += $props
RETURN r.id AS id
