// Range index on Interaction.type for lookups, filters and search.
// params:
CREATE INDEX interaction_type IF NOT EXISTS FOR (n:Interaction) ON (n.type)
