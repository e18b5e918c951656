"""Thin async resolvers and the per-request DataLoaders they call."""
