"""The GraphQL schema: hand-written Strawberry types over the graph layer's models."""
