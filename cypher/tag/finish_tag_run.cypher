// Close a refresh run with its status, counts (JSON per tag) and error.
// params: id, status, finished_at, added, removed, unchanged, results, error
// returns: run
/* :params {id: "run-1", status: "DONE", finished_at: datetime(), added: 3, removed: 1, unchanged: 10, results: "[]", error: null} */
MATCH (r:TagRun {id: $id})
SET r.status = $status, r.finished_at = $finished_at, r.added = $added, r.removed = $removed,
    r.unchanged = $unchanged, r.results = $results, r.error = $error
RETURN r {.*} AS run
