// A missing closing parenthesis.
// params: id
MATCH (c:Customer {id: $id}
RETURN c
