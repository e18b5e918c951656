// Projects owned by these companies (OWNS), with the project's properties.
// params: ids
// returns: id, projects
/* :params {ids: ["co-001"]} */
UNWIND $ids AS id
MATCH (co:Company {id: id})
RETURN id, [(co)-[:OWNS]->(p:Project) | p {.*}] AS projects
