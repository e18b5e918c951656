// APOC is a plugin: Neo4j 5 without it and the embedded server have no apoc.*.
// params: id
CALL apoc.create.node(['Customer'], {id: $id}) YIELD node
RETURN node
