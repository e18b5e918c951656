// Refresh runs still marked RUNNING, with the process that opened them (to find abandoned ones).
// params:
// returns: run
/* :params {} */
MATCH (r:TagRun {status: 'RUNNING'})
RETURN r {.id, .owner_host, .owner_pid, .started_at} AS run
ORDER BY r.started_at
