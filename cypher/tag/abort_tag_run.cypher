// Mark a RUNNING refresh run ABORTED: its process died before it could close the run.
// params: id, finished_at, error
// returns: run
/* :params {id: "run-1", finished_at: datetime(), error: "the refresh process (pid 42 on host h) is gone"} */
MATCH (r:TagRun {id: $id, status: 'RUNNING'})
SET r.status = 'ABORTED', r.finished_at = $finished_at, r.error = $error
RETURN r {.*} AS run
