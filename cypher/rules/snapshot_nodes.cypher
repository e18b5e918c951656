// Every customer, company, project and interaction with its properties, for the in-memory rule evaluator (small graphs only).
// params:
// returns: label, props
/* :params {} */
MATCH (n)
WHERE n:Customer OR n:Company OR n:Project OR n:Interaction
RETURN CASE WHEN n:Customer THEN 'Customer' WHEN n:Company THEN 'Company'
            WHEN n:Project THEN 'Project' ELSE 'Interaction' END AS label,
       n {.*} AS props
