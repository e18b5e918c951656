"""The per-request context: graph, DataLoaders, principal and API configuration."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.auth import DEV_ADMIN, Principal
from graph.db import Graph
from graph.portrait import LifecycleThresholds, RfmCache
from graph.scope import for_principal
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
class Context:
    """Built per request: the Graph, fresh DataLoaders, the principal and the API configuration."""

    graph: Graph
    loaders: Loaders
    principal: Principal = DEV_ADMIN
    config: ApiConfig = field(default_factory=ApiConfig)

    @classmethod
    def build(cls, graph: Graph, config: ApiConfig | None = None, principal: Principal | None = None) -> Context:
        """Return a Context with new DataLoaders over graph, limited to the principal's scope
        (an account manager's companies, graph/scope.py); no principal means the development admin."""
        principal = principal or DEV_ADMIN
        scoped = for_principal(graph, principal)
        return cls(scoped, Loaders(scoped), principal, config or ApiConfig())
