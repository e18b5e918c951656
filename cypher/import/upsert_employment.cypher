// Upserts WORKS_AT from customers to companies (one per pair; title, since, until).
// params: rows
// returns: created, updated, total
/* :params {rows: [{customer_id: "c-001", company_id: "co-001", props: {title: "CTO", since: date("2019-01-01")}}]} */
UNWIND $rows AS row
MATCH (a:Customer {id: row.customer_id})
MATCH (b:Company {id: row.company_id})
OPTIONAL MATCH (a)-[old:WORKS_AT]->(b)
WITH row, a, b, old,
     old IS NOT NULL AND any(k IN keys(row.props) WHERE old[k] IS NULL OR old[k] <> row.props[k]) AS changed
MERGE (a)-[r:WORKS_AT]->(b)
SET r += row.props
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS created, count(CASE WHEN changed THEN 1 END) AS updated,
       count(*) AS total
