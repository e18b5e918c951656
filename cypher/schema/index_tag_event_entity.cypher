// Range index on TagEvent.entity_id: a customer's tag history and "tags at date T".
// params:
CREATE INDEX tag_event_entity IF NOT EXISTS FOR (n:TagEvent) ON (n.entity_id)
