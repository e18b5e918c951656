// Two statements in one file: the driver runs one query per call.
// params:
MATCH (c:Customer) RETURN count(c) AS n;
MATCH (c:Company) RETURN count(c) AS n;
