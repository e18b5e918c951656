// Uniqueness of Interaction.id: upserts MERGE on it and lookups use its index.
// params:
CREATE CONSTRAINT interaction_id IF NOT EXISTS FOR (n:Interaction) REQUIRE n.id IS UNIQUE
