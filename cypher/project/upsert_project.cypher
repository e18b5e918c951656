// Create or update one project by id under its company (OWNS); null when the company does not exist.
// params: id, company_id, props, now
// returns: project
/* :params {id: "p-001", company_id: "co-001", props: {name: "CRM rollout", stage: "lead", value: 50000.0}, now: datetime("2025-01-01T00:00:00Z")} */
MATCH (co:Company {id: $company_id})
MERGE (p:Project {id: $id})
SET p += $props, p.company_id = $company_id, p.updated_at = $now
MERGE (co)-[:OWNS]->(p)
WITH p
OPTIONAL MATCH (other:Company)-[o:OWNS]->(p) WHERE other.id <> $company_id
DELETE o
RETURN DISTINCT p {.*} AS project
