"""The per-request context: graph, DataLoaders, principal and API configuration."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.db import Graph
from graph.portrait import LifecycleThresholds, RfmCache
from resolvers.loaders import Loaders


@dataclass(frozen=True)
class ApiConfig:
    """Settings the resolvers need; built once per app from main.Settings."""

    max_page_size: int = 500
    default_page_size: int = 50
    max_network_nodes: int = 500
    default_region: str = "CN"
    lifecycle: LifecycleThresholds = field(default_factory=LifecycleThresholds)
    rfm_cache: RfmCache = field(default_factory=RfmCache)


@dataclass(frozen=True)
class Principal:
    """Who is asking; authentication is not part of this service yet, so everyone is 'anonymous'."""

    name: str = "anonymous"


@dataclass(frozen=True)
class Context:
    """Built per request: the Graph, fresh DataLoaders, the principal and the API configuration."""

    graph: Graph
    loaders: Loaders
    principal: Principal = field(default_factory=Principal)
    config: ApiConfig = field(default_factory=ApiConfig)

    @classmethod
    def build(cls, graph: Graph, config: ApiConfig | None = None, principal: Principal | None = None) -> Context:
        """Return a Context with new DataLoaders over graph."""
        return cls(graph, Loaders(graph), principal or Principal(), config or ApiConfig())
