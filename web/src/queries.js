// Every GraphQL document the workspace sends, and the functions that turn the answers into the
// small shapes the views draw. When the API's field names change, this is the file to edit.

import { gql } from './api.js';

// ---- search -------------------------------------------------------------------------------

const SEARCH = /* GraphQL */ `
  query WorkspaceSearch($text: String!) {
    search(text: $text) {
      customers { __typename id name email phone city company { id name } }
      companies { __typename id name industry city }
    }
  }
`;

/** [{type: 'Customer'|'Company', id, name, sub}] */
export async function search(text, opts) {
  const data = await gql(SEARCH, { text }, opts);
  const raw = data?.search;
  const items = Array.isArray(raw) ? raw : [...(raw?.customers || []), ...(raw?.companies || [])];
  return items.map((r) => {
    const type = r.__typename === 'Company' ? 'Company' : 'Customer';
    const sub =
      type === 'Customer'
        ? [r.company?.name, r.email, r.phone].filter(Boolean).join(' · ')
        : [r.industry, r.city].filter(Boolean).join(' · ');
    return { type, id: r.id, name: r.name || r.id, sub };
  });
}

// ---- customer portrait --------------------------------------------------------------------

const PORTRAIT = /* GraphQL */ `
  query WorkspacePortrait($id: ID!) {
    customer(id: $id) {
      id name firstName lastName gender birthDate phone email country city occupation
      sourceChannel createdAt updatedAt attributes
      company { id name }
      employments { title since until current company { id name } }
      portrait {
        asOf
        lifecycleStage
        tags {
          category
          tags { key name source score value assignedAt expiresAt assignedBy reason valid }
        }
        behaviour {
          windows { days count byType { type count } }
          interactionCount purchaseCount purchaseTotal purchaseAverage
          firstInteraction { at type }
          lastInteraction { at type }
          activeDays
        }
        rfm { recencyDays frequency monetary recencyScore frequencyScore monetaryScore population }
        relationships {
          employer { title since company { id name } }
          colleaguesCount
          projects { role since project { id name stage } }
          referralsMade { total converted }
          referralsReceived { total converted }
          knowsCount
        }
      }
    }
  }
`;

export async function portrait(id, opts) {
  const data = await gql(PORTRAIT, { id }, opts);
  return data?.customer ?? null;
}

// ---- relationship map ---------------------------------------------------------------------

/** Relationship kinds the map knows, in legend order. `match` lists API kind names. */
export const KINDS = [
  { key: 'employer', label: 'Employer', match: ['WORKS_AT', 'EMPLOYER', 'EMPLOYED_BY'] },
  { key: 'colleague', label: 'Colleagues', match: ['COLLEAGUE', 'COLLEAGUES'] },
  { key: 'project', label: 'Projects', match: ['MEMBER_OF', 'OWNS', 'PROJECT'] },
  { key: 'referral', label: 'Referrals', match: ['REFERRED', 'REFERRED_BY', 'REFERRAL'] },
  { key: 'knows', label: 'Acquaintances', match: ['KNOWS', 'ACQUAINTANCE'] },
];

export function kindGroup(kind) {
  const k = String(kind || '').toUpperCase();
  return KINDS.find((g) => g.match.includes(k))?.key || 'other';
}

const NETWORK = /* GraphQL */ `
  query WorkspaceNetwork($id: ID!, $depth: Int!, $limit: Int!, $kinds: [ConnectionKind!]) {
    customer(id: $id) {
      id name
      network(depth: $depth, limit: $limit, kinds: $kinds) {
        truncated
        nodes { id kind label depth }
        edges { source target kind }
      }
    }
  }
`;

export const NODE_LIMIT = 100;

function nodeType(t) {
  const s = String(t || '').toLowerCase();
  if (s.startsWith('comp')) return 'Company';
  if (s.startsWith('proj')) return 'Project';
  return 'Customer';
}

/** Normalised network: {nodes:[{id,type,name}], edges:[{source,target,kind,props}], truncated} */
function toNetwork(raw) {
  if (!raw) return { nodes: [], edges: [], truncated: false };
  const nodes = (raw.nodes || []).map((n) => ({ id: n.id, type: nodeType(n.kind ?? n.type), name: n.label ?? n.name ?? n.id }));
  const types = new Map(nodes.map((n) => [n.id, n.type]));
  const edges = (raw.edges || []).map((e) => {
    const { source, target, kind, __typename, ...props } = e;
    return { source, target, sourceType: types.get(source), targetType: types.get(target), kind, props };
  });
  return { nodes, edges, truncated: !!raw.truncated };
}

/**
 * The API's ConnectionKind values for the map's shown kinds; null means all (also when none of
 * them is shown: the service reads an empty list as "all", and the map hides them anyway).
 */
export function connectionKinds(hiddenGroups) {
  const wanted = [
    ['colleague', ['COLLEAGUE']],
    ['referral', ['REFERRED', 'REFERRED_BY']],
    ['knows', ['KNOWS']],
  ].filter(([g]) => !hiddenGroups.has(g));
  if (wanted.length === 3 || wanted.length === 0) return null;
  return wanted.flatMap(([, k]) => k);
}

export async function network(id, depth = 1, kinds = null, opts) {
  const data = await gql(NETWORK, { id, depth, limit: NODE_LIMIT, kinds }, opts);
  if (!data?.customer) return null;
  return toNetwork(data.customer.network);
}

// ---- company ------------------------------------------------------------------------------

const COMPANY = /* GraphQL */ `
  query WorkspaceCompany($id: ID!) {
    company(id: $id) {
      id name industry employeeCount country city createdAt attributes
      projects { id name stage value }
      relationshipMap {
        employees { title since until current customer { id name email } }
        memberships { role project { id name stage value companyId } customer { id name } }
        referralsIn { at converted referrer { id name company { id name } } referred { id name } }
        referralsOut { at converted referrer { id name } referred { id name company { id name } } }
        referralsInternal { at converted referrer { id name } referred { id name } }
      }
    }
  }
`;

/** The company with relationshipMap reshaped: employees, projects [{project, members}], referrals. */
export async function company(id, opts) {
  const data = await gql(COMPANY, { id }, opts);
  const c = data?.company;
  if (!c) return null;
  const map = c.relationshipMap || {};
  const projects = new Map((c.projects || []).map((p) => [p.id, { project: p, members: [] }]));
  for (const m of map.memberships || []) {
    if (!m.project || !m.customer) continue;
    if (!projects.has(m.project.id)) projects.set(m.project.id, { project: m.project, members: [] });
    projects.get(m.project.id).members.push({ customer: m.customer, role: m.role });
  }
  const ref = (r) => ({ from: r.referrer || { id: '?', name: 'unknown' }, to: r.referred || { id: '?', name: 'unknown' }, at: r.at, converted: r.converted });
  return {
    ...c,
    employees: (map.employees || []).filter((e) => e.customer),
    projects: [...projects.values()],
    referralsIn: (map.referralsIn || []).map(ref),
    referralsOut: (map.referralsOut || []).map(ref),
    referralsInternal: (map.referralsInternal || []).map(ref),
  };
}

/** The company's relationship map as a drawable network. */
export function companyNetwork(c) {
  const nodes = new Map();
  const edges = [];
  const add = (id, type, name) => id && !nodes.has(`${type}:${id}`) && nodes.set(`${type}:${id}`, { id, type, name: name || id });
  add(c.id, 'Company', c.name);
  for (const e of c.employees) {
    add(e.customer.id, 'Customer', e.customer.name);
    edges.push({ source: e.customer.id, sourceType: 'Customer', target: c.id, targetType: 'Company', kind: 'WORKS_AT', props: { title: e.title } });
  }
  for (const p of c.projects) {
    add(p.project.id, 'Project', p.project.name);
    if (!p.project.companyId || p.project.companyId === c.id) {
      edges.push({ source: c.id, sourceType: 'Company', target: p.project.id, targetType: 'Project', kind: 'OWNS', props: {} });
    }
    for (const m of p.members) {
      add(m.customer.id, 'Customer', m.customer.name);
      edges.push({ source: m.customer.id, sourceType: 'Customer', target: p.project.id, targetType: 'Project', kind: 'MEMBER_OF', props: { role: m.role } });
    }
  }
  for (const r of [...c.referralsIn, ...c.referralsOut, ...c.referralsInternal]) {
    add(r.from.id, 'Customer', r.from.name);
    add(r.to.id, 'Customer', r.to.name);
    edges.push({ source: r.from.id, sourceType: 'Customer', target: r.to.id, targetType: 'Customer', kind: 'REFERRED', props: { converted: r.converted } });
  }
  return { nodes: [...nodes.values()], edges, truncated: false };
}

// Expanding a company or project node on the map.
const COMPANY_NEIGHBOURS = /* GraphQL */ `
  query WorkspaceCompanyNeighbours($id: ID!) {
    company(id: $id) {
      id name
      employees(currentOnly: true) { title customer { id name } }
      projects { id name }
    }
  }
`;

const PROJECT_NEIGHBOURS = /* GraphQL */ `
  query WorkspaceProjectNeighbours($id: ID!) {
    project(id: $id) {
      id name
      company { id name }
      members { role customer { id name } }
    }
  }
`;

export async function neighbours(type, id, kinds = null, opts) {
  if (type === 'Customer') return network(id, 1, kinds, opts);
  if (type === 'Company') {
    const c = (await gql(COMPANY_NEIGHBOURS, { id }, opts))?.company;
    if (!c) return null;
    const nodes = [{ id: c.id, type: 'Company', name: c.name }];
    const edges = [];
    for (const e of c.employees || []) {
      const p = e.customer || e;
      nodes.push({ id: p.id, type: 'Customer', name: p.name });
      edges.push({ source: p.id, sourceType: 'Customer', target: c.id, targetType: 'Company', kind: 'WORKS_AT', props: {} });
    }
    for (const pr of c.projects || []) {
      nodes.push({ id: pr.id, type: 'Project', name: pr.name });
      edges.push({ source: c.id, sourceType: 'Company', target: pr.id, targetType: 'Project', kind: 'OWNS', props: {} });
    }
    return { nodes, edges, truncated: false };
  }
  const p = (await gql(PROJECT_NEIGHBOURS, { id }, opts))?.project;
  if (!p) return null;
  const nodes = [{ id: p.id, type: 'Project', name: p.name }];
  const edges = [];
  if (p.company) {
    nodes.push({ id: p.company.id, type: 'Company', name: p.company.name });
    edges.push({ source: p.company.id, sourceType: 'Company', target: p.id, targetType: 'Project', kind: 'OWNS', props: {} });
  }
  for (const m of p.members || []) {
    const c = m.customer || m;
    nodes.push({ id: c.id, type: 'Customer', name: c.name });
    edges.push({ source: c.id, sourceType: 'Customer', target: p.id, targetType: 'Project', kind: 'MEMBER_OF', props: { role: m.role } });
  }
  return { nodes, edges, truncated: false };
}

// ---- path ---------------------------------------------------------------------------------

const PATH = /* GraphQL */ `
  query WorkspacePath($from: ID!, $to: ID!, $maxHops: Int!) {
    relationshipPath(fromId: $from, toId: $to, maxHops: $maxHops) {
      length
      steps { customerId kind since at converted customer { id name } }
    }
  }
`;

/** null when no path; else {length, steps:[{id, name, kind, props}]} (kind = edge into this step). */
export async function path(from, to, maxHops = 6, opts) {
  const data = await gql(PATH, { from, to, maxHops }, opts);
  const p = data?.relationshipPath;
  if (!p) return null;
  const steps = (p.steps || []).map((s) => ({
    id: s.customer?.id ?? s.customerId,
    name: s.customer?.name ?? s.customerId,
    kind: s.kind ?? null,
    props: { since: s.since, at: s.at, converted: s.converted },
  }));
  return { length: p.length ?? Math.max(0, steps.length - 1), steps };
}

// ---- tag explanations (the tag engine's Customer.whyTagged) -------------------------------

const WHY = /* GraphQL */ `
  query WorkspaceWhyTagged($id: ID!, $tag: String!) {
    customer(id: $id) {
      id
      whyTagged(tag: $tag) {
        key tagged kind source assignedAt assignedBy reason expiresAt value asOf summary rule
        branches { path condition held value text evidence }
      }
    }
  }
`;

/** The explanation of why the customer carries the tag (summary, rule, branches with evidence). */
export async function whyTagged(customerId, key) {
  const data = await gql(WHY, { id: customerId, tag: key });
  return data?.customer?.whyTagged ?? null;
}

// ---- segments (人群) ------------------------------------------------------------------------

const SEGMENTS = /* GraphQL */ `
  query WorkspaceSegments {
    segments { key name description status kind source history(limit: 30) { at count } }
  }
`;

const SEGMENT_COUNT = /* GraphQL */ `
  query WorkspaceSegmentCount($key: String!) {
    segment(key: $key) { key count }
  }
`;

export async function segments(opts) {
  return (await gql(SEGMENTS, {}, opts))?.segments ?? [];
}

export async function segmentCount(key, opts) {
  return (await gql(SEGMENT_COUNT, { key }, opts))?.segment?.count ?? null;
}

const SEGMENT = /* GraphQL */ `
  query WorkspaceSegment($key: String!) {
    segment(key: $key) {
      key name description owner status kind source rule query createdAt
      count
      history(limit: 100) { id at count }
      portrait {
        size population asOf
        distributions { dimension total buckets { value count share low high } }
        topTags { key name category holders share populationShare lift }
        averages { spend populationSpend purchasesPerYear populationPurchasesPerYear }
      }
      sample(n: 8) { id name }
    }
  }
`;

export async function segment(key, opts) {
  return (await gql(SEGMENT, { key }, opts))?.segment ?? null;
}

const OVERLAP = /* GraphQL */ `
  query WorkspaceSegmentOverlap($keys: [String!]!) {
    segmentOverlap(keys: $keys) { keys sizes union regions { keys count } }
  }
`;

export async function overlap(keys, opts) {
  return (await gql(OVERLAP, { keys }, opts))?.segmentOverlap ?? null;
}
