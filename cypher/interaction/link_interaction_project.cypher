// Link an interaction to the project it is about (ABOUT), once.
// params: id, project_id
// returns: linked
/* :params {id: "i-001", project_id: "p-001"} */
MATCH (i:Interaction {id: $id}), (p:Project {id: $project_id})
MERGE (i)-[:ABOUT]->(p)
SET i.project_id = $project_id
RETURN count(*) AS linked
