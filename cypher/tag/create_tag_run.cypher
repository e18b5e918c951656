// Open a refresh run in the run log.
// owner_host/owner_pid name the process, so a later refresh can tell a run whose process died.
// params: id, by, started_at, as_of, tags, owner_host, owner_pid
// returns: run
/* :params {id: "run-1", by: "cli", started_at: datetime(), as_of: datetime(), tags: ["vip"], owner_host: "h", owner_pid: 42} */
CREATE (r:TagRun {id: $id, by: $by, started_at: $started_at, as_of: $as_of, tags: $tags, status: 'RUNNING',
                  owner_host: $owner_host, owner_pid: $owner_pid})
RETURN r {.*} AS run
