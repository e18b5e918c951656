// Range index on TagEvent.run_id: the changes one refresh made.
// params:
CREATE INDEX tag_event_run IF NOT EXISTS FOR (n:TagEvent) ON (n.run_id)
