// Remove a customer's MEMBER_OF relationship to a project.
// params: customer_id, project_id
// returns: removed
/* :params {customer_id: "c-001", project_id: "p-001"} */
MATCH (:Customer {id: $customer_id})-[m:MEMBER_OF]->(:Project {id: $project_id})
DELETE m
RETURN count(m) AS removed
