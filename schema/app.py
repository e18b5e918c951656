"""The GraphQL schema and its ASGI app: per-request Context, limits, error codes, GraphQL over HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import strawberry
from cross_web import HTTPException
from graphql import GraphQLError
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import ValidationCache
from strawberry.types import ExecutionContext, ExecutionResult

from graph.portrait import LifecycleThresholds, RfmCache
from resolvers.auth_guard import AccessControl
from resolvers.context import ApiConfig, Context
from schema.errors import ErrorCodes, log_errors
from schema.limits import limit_extensions
from schema.mutation import Mutation
from schema.query import Query

SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"
GRAPHQL_RESPONSE = "application/graphql-response+json"


class ApiSettings(BaseSettings):
    """API settings not in main.Settings: lifecycle thresholds and the RFM cache lifetime (CUSTGRAPH_*)."""

    model_config = SettingsConfigDict(env_prefix="CUSTGRAPH_", extra="ignore")

    lifecycle_new_days: int = 30
    lifecycle_active_days: int = 90
    lifecycle_churn_days: int = 365
    rfm_cache_seconds: float = 600.0
    max_network_nodes: int = 500


class Schema(strawberry.Schema):
    """Strawberry schema that logs unexpected errors in full and the rest quietly."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        log_errors(errors, execution_context)


def build_schema(settings: Any = None) -> Schema:
    """Return the Strawberry schema with the limits from settings (max_depth, max_aliases, max_tokens)."""
    depth = getattr(settings, "max_depth", 10)
    aliases = getattr(settings, "max_aliases", 30)
    tokens = getattr(settings, "max_tokens", 2000)
    # Validation results are cached per document (the limit rules are fixed per schema): repeated
    # queries skip graphql-core's validation, ~40% of the CPU of a small query (docs/performance.md).
    # TokenLimit caches parsed documents the same way.
    return Schema(query=Query, mutation=Mutation,
                  extensions=[*limit_extensions(depth, aliases, tokens), lambda: ErrorCodes(tokens),
                              lambda: ValidationCache(maxsize=256), AccessControl])


def api_config(settings: Any = None) -> ApiConfig:
    """Return the resolvers' configuration from main.Settings and ApiSettings."""
    extra = ApiSettings()
    return ApiConfig(
        max_page_size=getattr(settings, "max_page_size", 500),
        default_region=getattr(settings, "default_region", "CN"),
        max_network_nodes=extra.max_network_nodes,
        lifecycle=LifecycleThresholds(new_days=extra.lifecycle_new_days, active_days=extra.lifecycle_active_days,
                                      churn_days=extra.lifecycle_churn_days),
        rfm_cache=RfmCache(ttl=extra.rfm_cache_seconds),
    )


def export_sdl(settings: Any = None) -> str:
    """Return the schema's SDL as written to schema.graphql."""
    return build_schema(settings).as_str() + "\n"


def _wants_graphql_response(request: Request) -> bool:
    """Return whether the client prefers application/graphql-response+json (the GraphQL-over-HTTP media type)."""
    accept = request.headers.get("accept", "")
    best: tuple[float, int, str] | None = None
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media in (GRAPHQL_RESPONSE, "application/json") and q > 0 and (best is None or q > best[0]):
            best = (q, -i, media)
    return best is not None and best[2] == GRAPHQL_RESPONSE


class GraphQLApp(GraphQL[Context, None]):
    """GraphQL over HTTP (GET and POST) with a per-request Context and spec status codes."""

    def __init__(self, schema: Schema, config: ApiConfig) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self.config = config

    def encode_json(self, data: object) -> bytes:
        # A 20-customer page's response: json.dumps was ~2 % of the request's CPU. Anything orjson cannot
        # write (integers beyond 64 bits in a JSON scalar) goes through json as before. Request bodies stay with
        # json: orjson reads an integer beyond 64 bits as a float, which would change a value silently.
        try:
            return orjson.dumps(data)
        except TypeError:
            return json.dumps(data, separators=(",", ":")).encode()

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        # The principal comes from resolvers/auth_middleware.py; apps built without it run as the dev admin.
        principal = request.scope.get("state", {}).get("principal")
        return Context.build(request.app.state.graph, self.config, principal)

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        # Remember what the status code depends on; run() applies it once the response exists.
        codes = {(e.extensions or {}).get("code") for e in result.errors or []}
        # A request error (parse, validation, variables) stops before execution: no data entry at all.
        request_error = result.data is None and bool(result.errors) and all(e.path is None for e in result.errors or [])
        request.state.gql_no_data = request_error
        request.state.gql_unavailable = "SERVICE_UNAVAILABLE" in codes
        body = await super().process_result(request, result)
        if request_error:
            body.pop("data", None)
        return body

    async def run(self, request: Any, context: Any = strawberry.UNSET, root_value: Any = strawberry.UNSET) -> Any:
        if isinstance(request, WebSocket):
            return await super().run(request, context, root_value)
        try:
            response = await super().run(request, context, root_value)
        except HTTPException as exc:
            if request.method == "GET" and "mutation" in exc.reason.lower():
                return Response(exc.reason, status_code=405, headers={"Allow": "POST"}, media_type="text/plain")
            raise
        if response.media_type != "application/json":
            return response  # GraphiQL page
        if getattr(request.state, "gql_unavailable", False):
            response.status_code = 503
            response.headers["Retry-After"] = "5"
        if _wants_graphql_response(request):
            response.headers["content-type"] = GRAPHQL_RESPONSE
            if getattr(request.state, "gql_no_data", False) and response.status_code == 200:
                response.status_code = 400  # request error: no execution happened
        return response


def graphql_app(settings: Any = None) -> GraphQLApp:
    """Return the ASGI GraphQL app (GraphiQL on) for main.create_app."""
    return GraphQLApp(build_schema(settings), api_config(settings))

