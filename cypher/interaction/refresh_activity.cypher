// Rewrites the activity digest of these customers: per canonical interaction type, the occurred_at of each of
// their interactions of that type (graph/activity.py), so windowed counts read one node instead of every
// interaction. Runs in the transaction of every write that adds, moves or changes interactions.
// params: ids
// returns: refreshed
/* :params {ids: ["c-001", "c-002"]} */
UNWIND $ids AS id
MATCH (c:Customer {id: id})
WITH c, [(c)-[:PERFORMED]->(i:Interaction) WHERE i.occurred_at IS NOT NULL | [i.type, i.occurred_at]] AS ix
SET c.activity_purchase = [x IN ix WHERE x[0] = 'purchase' | x[1]],
    c.activity_call = [x IN ix WHERE x[0] = 'call' | x[1]],
    c.activity_email = [x IN ix WHERE x[0] = 'email' | x[1]],
    c.activity_visit = [x IN ix WHERE x[0] = 'visit' | x[1]],
    c.activity_meeting = [x IN ix WHERE x[0] = 'meeting' | x[1]],
    c.activity_feedback = [x IN ix WHERE x[0] = 'feedback' | x[1]],
    c.activity_support = [x IN ix WHERE x[0] = 'support' | x[1]],
    c.activity_referral = [x IN ix WHERE x[0] = 'referral' | x[1]],
    c.activity_v = 1
RETURN count(c) AS refreshed
