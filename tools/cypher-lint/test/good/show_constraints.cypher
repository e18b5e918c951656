// Names of the constraints in the database.
// params:
// returns: name
SHOW CONSTRAINTS YIELD name
RETURN name
