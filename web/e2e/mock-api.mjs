// A stand-in for the custgraph service, for working on the page without Python or a database:
// serves web/dist at /app/ and answers the workspace's GraphQL operations (by operationName)
// from e2e/known-graph.json. It is NOT the API: the browser tests run against the real service
// (tests/test_web_e2e.py); this only keeps UI work unblocked.
//
//   node e2e/mock-api.mjs [--port 8765]      then open http://127.0.0.1:8765/app/

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../dist');
const G = JSON.parse(fs.readFileSync(path.join(here, 'known-graph.json'), 'utf8'));
const DAY = 86400e3;
const now = Date.now();
const iso = (daysAgo) => new Date(now - daysAgo * DAY).toISOString();

const cust = new Map(G.customers.map((c) => [c.id, c]));
const comp = new Map(G.companies.map((c) => [c.id, c]));
const proj = new Map(G.projects.map((p) => [p.id, p]));
const ref = (m, id) => (m.get(id) ? { id, name: m.get(id).name } : null);

function customerOut(c) {
  const job = G.works_at.find((w) => w.customer === c.id);
  const { first_name, last_name, source_channel, ...rest } = c;
  const attributes = Object.fromEntries(Object.entries(c).filter(([k]) => !['id', 'name', 'first_name', 'last_name', 'gender', 'phone', 'email', 'country', 'city', 'occupation', 'source_channel'].includes(k)));
  return { ...rest, firstName: first_name, lastName: last_name, sourceChannel: source_channel, attributes, birthDate: null, createdAt: iso(500), updatedAt: iso(1), company: job ? ref(comp, job.company) : null, __typename: 'Customer' };
}

function edgesOf(key) {
  const [type, id] = key.split(':');
  const out = [];
  if (type === 'Customer') {
    for (const w of G.works_at.filter((w) => w.customer === id)) {
      out.push({ to: `Company:${w.company}`, e: { source: id, target: w.company, kind: 'WORKS_AT', title: w.title, since: w.since } });
      for (const o of G.works_at.filter((x) => x.company === w.company && x.customer !== id)) {
        const [a, b] = [id, o.customer].sort();
        out.push({ to: `Customer:${o.customer}`, e: { source: a, target: b, kind: 'COLLEAGUE', since: w.since > o.since ? w.since : o.since } });
      }
    }
    for (const m of G.member_of.filter((m) => m.customer === id)) out.push({ to: `Project:${m.project}`, e: { source: id, target: m.project, kind: 'MEMBER_OF', role: m.role, since: m.since } });
    for (const k of G.knows.filter((k) => k.from === id || k.to === id)) out.push({ to: `Customer:${k.from === id ? k.to : k.from}`, e: { source: k.from, target: k.to, kind: 'KNOWS', since: iso(k.since_days_ago) } });
    for (const r of G.referred.filter((r) => r.from === id || r.to === id)) out.push({ to: `Customer:${r.from === id ? r.to : r.from}`, e: { source: r.from, target: r.to, kind: 'REFERRED', at: iso(r.at_days_ago), converted: r.converted } });
  } else if (type === 'Company') {
    for (const w of G.works_at.filter((w) => w.company === id)) out.push({ to: `Customer:${w.customer}`, e: { source: w.customer, target: id, kind: 'WORKS_AT', title: w.title, since: w.since } });
    for (const p of G.projects.filter((p) => p.company_id === id)) out.push({ to: `Project:${p.id}`, e: { source: id, target: p.id, kind: 'OWNS' } });
  } else {
    const p = proj.get(id);
    out.push({ to: `Company:${p.company_id}`, e: { source: p.company_id, target: id, kind: 'OWNS' } });
    for (const m of G.member_of.filter((m) => m.project === id)) out.push({ to: `Customer:${m.customer}`, e: { source: m.customer, target: id, kind: 'MEMBER_OF', role: m.role } });
  }
  return out;
}

function network(id, depth, limit, kinds) {
  const seen = new Set([`Customer:${id}`]);
  let frontier = [`Customer:${id}`];
  const edges = new Map();
  let truncated = false;
  for (let d = 0; d < depth; d++) {
    const next = [];
    for (const k of frontier) {
      for (const { to, e } of edgesOf(k)) {
        const between = to.startsWith('Customer:') && k.startsWith('Customer:');
        if (between && kinds && !kinds.includes(e.kind)) continue;
        if (!seen.has(to)) {
          if (seen.size >= limit) { truncated = true; continue; }
          seen.add(to);
          if (to.startsWith('Customer:')) next.push(to); // like the service: walk through customers only
        }
        edges.set(`${e.kind}|${e.source}|${e.target}`, { source: e.source, target: e.target, kind: e.kind });
      }
    }
    frontier = next;
  }
  const nodes = [...seen].map((k) => {
    const [type, nid] = k.split(':');
    const m = type === 'Customer' ? cust : type === 'Company' ? comp : proj;
    return { id: nid, kind: type.toUpperCase(), label: m.get(nid).name, depth: 0 };
  });
  return { truncated, nodes, edges: [...edges.values()].filter((e) => nodes.some((n) => n.id === e.source) && nodes.some((n) => n.id === e.target)) };
}

function findPath(from, to) {
  const prev = new Map([[from, null]]);
  const q = [from];
  while (q.length) {
    const c = q.shift();
    if (c === to) break;
    for (const { to: t, e } of edgesOf(`Customer:${c}`)) {
      if (!t.startsWith('Customer:')) continue;
      const n = t.slice(9);
      if (!prev.has(n)) { prev.set(n, { from: c, kind: e.kind, e }); q.push(n); }
    }
  }
  if (!prev.has(to)) return null;
  const steps = [];
  for (let c = to; c; c = prev.get(c)?.from) {
    const p = prev.get(c);
    const kind = p ? (p.kind === 'REFERRED' && p.e.source !== p.from ? 'REFERRED_BY' : p.kind) : null;
    steps.unshift({ customerId: c, customer: ref(cust, c), kind, since: p?.e.since ?? null, at: p?.e.at ?? null, converted: p?.e.converted ?? null });
  }
  return { length: steps.length - 1, steps };
}

function portrait(c) {
  const ints = G.interactions.filter((i) => i.customer === c.id);
  const purchases = ints.filter((i) => i.type === 'purchase');
  const types = [...new Set(ints.map((i) => i.type))];
  const total = purchases.reduce((s, i) => s + i.amount, 0);
  const within = (t, d) => ints.filter((i) => i.type === t && i.days_ago <= d).length;
  const sorted = [...ints].sort((a, b) => b.days_ago - a.days_ago);
  const cats = new Map();
  for (const ht of G.has_tag.filter((t) => t.customer === c.id)) {
    const tag = G.tags.find((t) => t.key === ht.tag);
    const t = { key: tag.key, name: tag.name, category: tag.category, source: ht.source, score: ht.score, assignedBy: ht.assigned_by, reason: ht.reason, assignedAt: iso(ht.assigned_days_ago), expiresAt: ht.expires_in_days === null ? null : iso(-ht.expires_in_days), valid: ht.expires_in_days === null || ht.expires_in_days > 0 };
    if (!cats.has(tag.category)) cats.set(tag.category, []);
    cats.get(tag.category).push(t);
  }
  const job = G.works_at.find((w) => w.customer === c.id);
  const windows = [30, 90, 180, 365].map((d) => ({ days: d, count: ints.filter((i) => i.days_ago <= d).length, byType: types.map((t) => ({ type: t, count: within(t, d) })).filter((x) => x.count) }));
  return {
    asOf: new Date(now).toISOString(),
    lifecycleStage: purchases.length ? 'ACTIVE' : 'NEW',
    tags: [...cats].map(([category, tags]) => ({ category, tags })),
    behaviour: {
      windows, interactionCount: ints.length, purchaseCount: purchases.length, purchaseTotal: total,
      purchaseAverage: purchases.length ? total / purchases.length : null,
      firstInteraction: sorted[0] ? { at: iso(sorted[0].days_ago), type: sorted[0].type } : null,
      lastInteraction: sorted.at(-1) ? { at: iso(sorted.at(-1).days_ago), type: sorted.at(-1).type } : null,
      activeDays: new Set(ints.map((i) => i.days_ago)).size,
    },
    rfm: { recencyDays: purchases.length ? Math.min(...purchases.map((p) => p.days_ago)) : null, frequency: purchases.length, monetary: total, recencyScore: purchases.length ? 5 : null, frequencyScore: purchases.length ? 5 : null, monetaryScore: purchases.length ? 5 : null, population: 2 },
    relationships: {
      employer: job ? { title: job.title, since: job.since, company: ref(comp, job.company) } : null,
      colleaguesCount: job ? G.works_at.filter((w) => w.company === job.company && w.customer !== c.id).length : 0,
      projects: G.member_of.filter((m) => m.customer === c.id).map((m) => ({ project: { ...ref(proj, m.project), stage: proj.get(m.project).stage }, role: m.role, since: m.since })),
      referralsMade: { total: G.referred.filter((r) => r.from === c.id).length, converted: G.referred.filter((r) => r.from === c.id && r.converted).length },
      referralsReceived: { total: G.referred.filter((r) => r.to === c.id).length, converted: G.referred.filter((r) => r.to === c.id && r.converted).length },
      knowsCount: G.knows.filter((k) => k.from === c.id || k.to === c.id).length,
    },
  };
}

function answer(op, v) {
  const err = (message, code) => ({ errors: [{ message, extensions: { code } }], data: null });
  if (v.id === 'boom' || v.text === 'boom') return err('Unexpected error.', 'INTERNAL_SERVER_ERROR');
  switch (op) {
    case 'WorkspaceSearch': {
      const t = v.text.toLowerCase();
      const hit = (s) => String(s || '').toLowerCase().includes(t);
      return { data: { search: { customers: G.customers.filter((c) => hit(c.name) || hit(c.email) || hit(c.phone)).map(customerOut), companies: G.companies.filter((c) => hit(c.name)).map((c) => ({ ...c, __typename: 'Company' })) } } };
    }
    case 'WorkspacePortrait': {
      const c = cust.get(v.id);
      return { data: { customer: c ? { ...customerOut(c), employments: [], portrait: portrait(c) } : null } };
    }
    case 'WorkspaceNetwork': {
      const c = cust.get(v.id);
      if (v.depth < 1 || v.depth > 3) return err('depth must be between 1 and 3', 'BAD_USER_INPUT');
      return { data: { customer: c ? { id: c.id, name: c.name, network: network(c.id, v.depth, v.limit ?? 100, v.kinds) } : null } };
    }
    case 'WorkspaceCompanyNeighbours': {
      const c = comp.get(v.id);
      return { data: { company: c && { id: c.id, name: c.name, employees: G.works_at.filter((w) => w.company === c.id).map((w) => ({ title: w.title, customer: ref(cust, w.customer) })), projects: G.projects.filter((p) => p.company_id === c.id).map((p) => ref(proj, p.id)) } } };
    }
    case 'WorkspaceProjectNeighbours': {
      const p = proj.get(v.id);
      return { data: { project: p && { id: p.id, name: p.name, company: ref(comp, p.company_id), members: G.member_of.filter((m) => m.project === p.id).map((m) => ({ role: m.role, customer: ref(cust, m.customer) })) } } };
    }
    case 'WorkspaceWhyTagged': {
      const ht = G.has_tag.find((t) => t.customer === v.id && t.tag === v.tag);
      if (!ht) return err(`customer ${v.id} has no tag ${v.tag}`, 'NOT_FOUND');
      return { data: { customer: { id: v.id, whyTagged: { key: v.tag, tagged: true, kind: 'MANUAL', source: ht.source, assignedAt: iso(ht.assigned_days_ago), assignedBy: ht.assigned_by, reason: ht.reason, expiresAt: null, value: null, asOf: iso(0), summary: `tagged '${v.tag}' by ${ht.assigned_by}`, rule: null, branches: [] } } } };
    }
    case 'WorkspacePath':
      return { data: { relationshipPath: findPath(v.from, v.to) } };
    case 'WorkspaceCompany': {
      const c = comp.get(v.id);
      if (!c) return { data: { company: null } };
      const staff = new Set(G.works_at.filter((w) => w.company === c.id).map((w) => w.customer));
      const withCo = (id) => ({ ...ref(cust, id), company: (() => { const w = G.works_at.find((x) => x.customer === id); return w ? ref(comp, w.company) : null; })() });
      const refOut = (r) => ({ referrer: withCo(r.from), referred: withCo(r.to), at: iso(r.at_days_ago), converted: r.converted });
      return {
        data: {
          company: {
            ...c, employeeCount: c.employees, createdAt: iso(700), attributes: {},
            projects: G.projects.filter((p) => p.company_id === c.id).map((p) => ({ ...p, companyId: p.company_id })),
            relationshipMap: {
              employees: G.works_at.filter((w) => w.company === c.id).map((w) => ({ customer: { ...ref(cust, w.customer), email: cust.get(w.customer).email }, title: w.title, since: w.since, until: null, current: true })),
              memberships: G.member_of.filter((m) => staff.has(m.customer)).map((m) => ({ role: m.role, project: { ...proj.get(m.project), companyId: proj.get(m.project).company_id }, customer: ref(cust, m.customer) })),
              referralsIn: G.referred.filter((r) => staff.has(r.to) && !staff.has(r.from)).map(refOut),
              referralsOut: G.referred.filter((r) => staff.has(r.from) && !staff.has(r.to)).map(refOut),
              referralsInternal: G.referred.filter((r) => staff.has(r.from) && staff.has(r.to)).map(refOut),
            },
          },
        },
      };
    }
    default:
      return err(`Unknown operation ${op}`, 'BAD_USER_INPUT');
  }
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' };

export function startMock(port = 0) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/graphql' && req.method === 'POST') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const { operationName, variables } = JSON.parse(body || '{}');
        const out = answer(operationName, variables || {});
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out));
      });
      return;
    }
    if (url.pathname === '/app') { res.writeHead(307, { location: '/app/' }); res.end(); return; }
    if (url.pathname.startsWith('/app/')) {
      let f = path.join(dist, decodeURIComponent(url.pathname.slice(5)) || 'index.html');
      if (f.endsWith(path.sep) || f === dist) f = path.join(dist, 'index.html');
      if (f.startsWith(dist) && fs.existsSync(f) && fs.statSync(f).isFile()) {
        res.writeHead(200, { 'content-type': TYPES[path.extname(f)] || 'application/octet-stream' });
        fs.createReadStream(f).pipe(res);
        return;
      }
    }
    res.writeHead(404);
    res.end('not found');
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const server = await startMock(i > 0 ? Number(process.argv[i + 1]) : 8765);
  console.log(`mock custgraph on http://127.0.0.1:${server.address().port}/app/`);
}
