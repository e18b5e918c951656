// Open a refresh run in the run log.
// params: id, by, started_at, as_of, tags
// returns: run
/* :params {id: "run-1", by: "cli", started_at: datetime(), as_of: datetime(), tags: ["vip"]} */
CREATE (r:TagRun {id: $id, by: $by, started_at: $started_at, as_of: $as_of, tags: $tags, status: 'RUNNING'})
RETURN r {.*} AS run
