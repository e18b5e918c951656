"""Serve the built web workspace (web/dist) at /app.

main.create_app adds these routes: ``routes += web_routes()``. The assets are produced by
``npm ci && npm run build`` in web/ and are never committed; when they are missing, /app answers
503 with a page that says how to build them instead of a bare 404.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

DEFAULT_DIST = Path(__file__).resolve().parent.parent / "web" / "dist"

_MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>custgraph workspace not built</title>
<style>body{font:15px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;max-width:640px;margin:10vh auto;padding:0 16px}
code{background:#f2f2f2;padding:2px 4px}</style></head>
<body><h1>The web workspace is not built</h1>
<p>The service is running, but the workspace's files were not found in <code>{dist}</code>.</p>
<p>Build them once (Node 20 or newer), then reload this page:</p>
<pre><code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code></pre>
<p>or run <code>./tools/dev setup</code>. The GraphQL API is available at <a href="../graphql">/graphql</a>.</p>
</body></html>
"""


class _Workspace:
    """StaticFiles over dist, or the "not built" page while dist/index.html is missing.

    Checked on every request, so building the workspace while the service runs is enough.
    """

    def __init__(self, dist: Path) -> None:
        self.dist = dist
        self.files = StaticFiles(directory=dist, html=True, check_dir=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (self.dist / "index.html").is_file():
            await self.files(scope, receive, send)
            return
        page = HTMLResponse(_MISSING.replace("{dist}", str(self.dist)), status_code=503, headers={"Retry-After": "60"})
        await page(scope, receive, send)


def web_routes(dist_dir: Path | None = None) -> list[BaseRoute]:
    """Return the routes serving the workspace at /app (and redirecting /app to /app/)."""
    dist = (dist_dir or DEFAULT_DIST).resolve()

    async def to_slash(request: Request) -> Response:
        return RedirectResponse(url=str(request.url.replace(path="/app/")), status_code=307)

    return [
        Route("/app", to_slash, methods=["GET", "HEAD"]),
        Mount("/app", app=_Workspace(dist), name="web"),
    ]
