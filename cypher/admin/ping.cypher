// Readiness probe: answers when the database serves queries.
// params:
RETURN 1 AS ok
