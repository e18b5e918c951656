"""Browser tests of the web workspace (/app): headless Chromium driven by playwright-core.

The known small graph of web/e2e/known-graph.json is written into the session's embedded server,
the real app (main.create_app, which mounts resolvers.web_app.web_routes at /app) is served by uvicorn on a free
port, and web/e2e/run.mjs drives Debian's Chromium through it; screenshots land in
test-artifacts/web/. A second, browserless test validates the page's GraphQL documents against
schema.graphql. Needs Node >= 20 and /usr/bin/chromium (apt-get install chromium
fonts-noto-cjk): the tests are skipped, saying so, when either is missing. web/dist and
web/node_modules are built here when absent (npm ci && npm run build).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
ARTIFACTS = ROOT / "test-artifacts" / "web"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="the web workspace tests need Node >= 20 (node not on PATH)")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)",
)


def known_graph() -> dict[str, Any]:
    return json.loads((WEB / "e2e" / "known-graph.json").read_text(encoding="utf-8"))


def ensure_built() -> None:
    """npm ci when node_modules is missing or stale, npm run build when dist is missing or stale."""
    npm = shutil.which("npm")
    lock = WEB / "package-lock.json"
    stamp = WEB / "node_modules" / ".package-lock.json"
    if not stamp.exists() or lock.stat().st_mtime > stamp.stat().st_mtime:
        assert npm, "npm is needed to install web/ dependencies"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=WEB, check=True, timeout=600)
    index = WEB / "dist" / "index.html"
    sources = [*(WEB / "src").rglob("*"), WEB / "index.html", WEB / "vite.config.js", lock]
    newest = max(p.stat().st_mtime for p in sources if p.is_file())
    if not index.exists() or index.stat().st_mtime < newest:
        assert npm, "npm is needed to build web/dist"
        subprocess.run([npm, "run", "build", "--silent"], cwd=WEB, check=True, timeout=600)


async def load_known_graph(graph: Any) -> None:
    """Write known-graph.json: times given as days relative to now become UTC datetimes."""
    g = known_graph()
    now = datetime.now(UTC).replace(microsecond=0)

    def ago(days: float) -> datetime:
        return now - timedelta(days=days)

    customers = [
        {**c, "name_lc": c["name"].lower(), "created_at": ago(500), "updated_at": ago(1)}
        for c in g["customers"]
    ]
    companies = [{**c, "name_lc": c["name"].lower(), "created_at": ago(700), "updated_at": ago(1)} for c in g["companies"]]
    projects = [{**p, "started_at": ago(300), "closed_at": None} for p in g["projects"]]
    works = [{**w, "since": date.fromisoformat(w["since"])} for w in g["works_at"]]
    members = [{**m, "since": date.fromisoformat(m["since"])} for m in g["member_of"]]
    knows = [{"a": k["from"], "b": k["to"], "since": ago(k["since_days_ago"])} for k in g["knows"]]
    refs = [{"a": r["from"], "b": r["to"], "at": ago(r["at_days_ago"]), "converted": r["converted"]} for r in g["referred"]]
    inter = [
        {"id": i["id"], "customer": i["customer"], "type": i["type"], "occurred_at": ago(i["days_ago"]),
         "amount": i["amount"], "channel": i["channel"], "subject": i["subject"]}
        for i in g["interactions"]
    ]
    tagged = [
        {"customer": t["customer"], "tag": t["tag"], "source": t["source"], "score": t["score"],
         "assigned_by": t["assigned_by"], "reason": t["reason"],
         "assigned_at": ago(t["assigned_days_ago"]),
         "expires_at": None if t["expires_in_days"] is None else now + timedelta(days=t["expires_in_days"])}
        for t in g["has_tag"]
    ]
    statements: list[tuple[str, dict[str, Any]]] = [
        ("UNWIND $rows AS r CREATE (c:Customer) SET c = r", {"rows": customers}),
        ("UNWIND $rows AS r CREATE (c:Company) SET c = r", {"rows": companies}),
        ("UNWIND $rows AS r CREATE (p:Project) SET p = r", {"rows": projects}),
        ("CREATE (:AttributeDef {id: 'customer.vip_level', entity: 'customer', key: 'vip_level', type: 'int', personal: false})", {}),
        ("UNWIND $rows AS r MATCH (c:Customer {id: r.customer}), (co:Company {id: r.company}) "
         "CREATE (c)-[:WORKS_AT {title: r.title, since: r.since}]->(co)", {"rows": works}),
        ("UNWIND $rows AS r MATCH (c:Customer {id: r.customer}), (p:Project {id: r.project}) "
         "CREATE (c)-[:MEMBER_OF {role: r.role, since: r.since}]->(p)", {"rows": members}),
        ("UNWIND $rows AS r MATCH (co:Company {id: r.company_id}), (p:Project {id: r.id}) CREATE (co)-[:OWNS]->(p)",
         {"rows": g["projects"]}),
        ("UNWIND $rows AS r MATCH (a:Customer {id: r.a}), (b:Customer {id: r.b}) CREATE (a)-[:KNOWS {since: r.since}]->(b)",
         {"rows": knows}),
        ("UNWIND $rows AS r MATCH (a:Customer {id: r.a}), (b:Customer {id: r.b}) "
         "CREATE (a)-[:REFERRED {at: r.at, converted: r.converted}]->(b)", {"rows": refs}),
        ("UNWIND $rows AS r MATCH (c:Customer {id: r.customer}) "
         "CREATE (c)-[:PERFORMED]->(i:Interaction {id: r.id, type: r.type, occurred_at: r.occurred_at, amount: r.amount, "
         "channel: r.channel, subject: r.subject, customer_id: r.customer})", {"rows": inter}),
        ("UNWIND $rows AS r CREATE (t:Tag) SET t = r", {"rows": g["tags"]}),
        ("UNWIND $rows AS r MATCH (c:Customer {id: r.customer}), (t:Tag {key: r.tag}) "
         "CREATE (c)-[:HAS_TAG {source: r.source, score: r.score, assigned_at: r.assigned_at, expires_at: r.expires_at, "
         "assigned_by: r.assigned_by, reason: r.reason}]->(t)",
         {"rows": tagged}),
    ]
    for text, params in statements:
        await graph.write_text("tests/web_e2e", text, params)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    """The real app (GraphQL + /app) under uvicorn in a thread with its own event loop."""

    def __init__(self, db_dir: Path) -> None:
        import uvicorn

        from main import Settings, create_app
        from resolvers.web_app import web_routes

        settings = Settings().model_copy(update={"data_dir": db_dir, "neo4j_uri": None, "neo4j_database": "crm"})
        app = create_app(settings)
        if not any(getattr(r, "path", None) == "/app" for r in app.routes):  # main.py mounts it already
            app.router.routes.extend(web_routes(WEB / "dist"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, name="web-e2e-uvicorn", daemon=True)

    def __enter__(self) -> Service:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the service did not start for the browser tests")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


async def test_app_without_a_build_says_how_to_build(tmp_path: Path) -> None:
    """/app redirects to /app/; with no web/dist it answers 503 with the build command, not a bare 404."""
    import httpx
    from starlette.applications import Starlette

    from resolvers.web_app import web_routes

    app = Starlette(routes=web_routes(tmp_path / "dist"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        moved = await client.get("/app")
        assert moved.status_code == 307 and moved.headers["location"].endswith("/app/")
        page = await client.get("/app/")
        assert page.status_code == 503
        assert "npm ci &amp;&amp; npm run build" in page.text
        (tmp_path / "dist").mkdir()
        (tmp_path / "dist" / "index.html").write_text("<!doctype html><title>built</title>", encoding="utf-8")
        built = await client.get("/app/")
        assert built.status_code == 200 and "built" in built.text


def test_workspace_queries_match_the_exported_schema() -> None:
    """Every GraphQL document of web/src/queries.js validates against schema.graphql."""
    sdl = ROOT / "schema.graphql"
    if not sdl.exists():
        pytest.skip("schema.graphql has not been exported yet")
    ensure_built()
    run = subprocess.run(
        [NODE or "node", str(WEB / "e2e" / "check-queries.mjs"), "--schema", str(sdl)],
        cwd=WEB, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, f"the workspace's queries no longer match the API:\n{run.stdout}{run.stderr}"


@needs_chromium
async def test_workspace_in_a_real_browser(graph: Any, db_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """search → portrait values, map neighbours, expand on click, path highlight, errors in plain words."""
    monkeypatch.setenv("CUSTGRAPH_AUTH", "off")  # loopback dev mode: the page runs without a key
    await asyncio.to_thread(ensure_built)
    await load_known_graph(graph)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with Service(db_dir) as svc:
        proc = await asyncio.create_subprocess_exec(
            NODE or "node", str(WEB / "e2e" / "run.mjs"), "--base-url", svc.url, "--out", str(ARTIFACTS),
            "--chromium", str(CHROMIUM),
            cwd=WEB, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )
        try:
            out, _ = await asyncio.wait_for(proc.communicate(), timeout=300)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise
    report = out.decode("utf-8", "replace")
    (ARTIFACTS / "run.log").write_text(report, encoding="utf-8")
    assert proc.returncode == 0, f"browser checks failed (screenshots in {ARTIFACTS}):\n{report}"
    assert " 0 failed" in report, report
