// Which of these ids name existing customers, companies or projects outside an account manager's companies
// (a customer is inside when it currently WORKS_AT one of them, a project when one of them OWNS it).
// params: ids, scope_company_ids
// returns: id
/* :params {ids: ["c-001", "co-002", "p-003"], scope_company_ids: ["co-001"]} */
UNWIND $ids AS id
OPTIONAL MATCH (c:Customer {id: id})
OPTIONAL MATCH (co:Company {id: id})
OPTIONAL MATCH (p:Project {id: id})
WITH id, c, co, p
WHERE (c IS NOT NULL AND NOT EXISTS {
         MATCH (c)-[w:WORKS_AT]->(x:Company) WHERE w.until IS NULL AND x.id IN $scope_company_ids })
   OR (co IS NOT NULL AND NOT co.id IN $scope_company_ids)
   OR (p IS NOT NULL AND NOT EXISTS { MATCH (x:Company)-[:OWNS]->(p) WHERE x.id IN $scope_company_ids })
RETURN DISTINCT id
