// Every GraphQL document the workspace sends, and the functions that turn the answers into the
// small shapes the views draw. When the API's field names change, this is the file to edit.

import { gql } from './api.js';

// ---- search -------------------------------------------------------------------------------

const SEARCH = /* GraphQL */ `
  query WorkspaceSearch($text: String!) {
    search(text: $text) {
      __typename
      ... on Customer { id name email phone city company { id name } }
      ... on Company { id name industry city }
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
      employments { company { id name } title since until }
      portrait {
        asOf
        tags {
          category
          tags { key name category source score assignedAt expiresAt valid }
        }
        statistics {
          interactionCounts { type last30Days last90Days last180Days last365Days }
          totalPurchaseAmount averagePurchaseAmount purchaseCount
          firstInteraction { at type }
          lastInteraction { at type }
          activeDays
        }
        rfm { recencyDays frequency monetary recencyScore frequencyScore monetaryScore }
        lifecycle { stage }
        relationships {
          employer { id name }
          colleaguesCount
          projects { project { id name stage } role }
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
  query WorkspaceNetwork($id: ID!, $depth: Int!, $limit: Int) {
    customer(id: $id) {
      id name
      network(depth: $depth, limit: $limit) {
        truncated
        nodes { id type name }
        edges { source target kind since at converted title role }
      }
    }
  }
`;

export const NODE_LIMIT = 150;

function nodeType(t) {
  const s = String(t || '').toLowerCase();
  if (s.startsWith('comp')) return 'Company';
  if (s.startsWith('proj')) return 'Project';
  return 'Customer';
}

/** Normalised network: {nodes:[{id,type,name}], edges:[{source,target,kind,props}], truncated} */
function toNetwork(raw) {
  if (!raw) return { nodes: [], edges: [], truncated: false };
  const nodes = (raw.nodes || []).map((n) => ({ id: n.id, type: nodeType(n.type ?? n.label ?? n.__typename), name: n.name ?? n.id }));
  const types = new Map(nodes.map((n) => [n.id, n.type]));
  const edges = (raw.edges || []).map((e) => {
    const { source, target, kind, type, __typename, ...props } = e;
    return { source, target, sourceType: types.get(source), targetType: types.get(target), kind: kind ?? type, props };
  });
  return { nodes, edges, truncated: !!raw.truncated };
}

export async function network(id, depth = 1, opts) {
  const data = await gql(NETWORK, { id, depth, limit: NODE_LIMIT }, opts);
  if (!data?.customer) return null;
  return toNetwork(data.customer.network);
}

// ---- company ------------------------------------------------------------------------------

const COMPANY = /* GraphQL */ `
  query WorkspaceCompany($id: ID!) {
    company(id: $id) {
      id name industry employees country city createdAt attributes
      relationshipMap {
        employees { customer { id name email } title since until }
        projects { project { id name stage value } members { customer { id name } role } }
        referralsIn { from { id name company { id name } } to { id name } at converted }
        referralsOut { from { id name } to { id name company { id name } } at converted }
      }
    }
  }
`;

export async function company(id, opts) {
  const data = await gql(COMPANY, { id }, opts);
  return data?.company ?? null;
}

/** The company's relationship map as a drawable network. */
export function companyNetwork(c) {
  const nodes = new Map();
  const edges = [];
  const add = (id, type, name) => id && !nodes.has(`${type}:${id}`) && nodes.set(`${type}:${id}`, { id, type, name: name || id });
  add(c.id, 'Company', c.name);
  const map = c.relationshipMap || {};
  for (const e of map.employees || []) {
    add(e.customer.id, 'Customer', e.customer.name);
    edges.push({ source: e.customer.id, sourceType: 'Customer', target: c.id, targetType: 'Company', kind: 'WORKS_AT', props: { title: e.title, since: e.since } });
  }
  for (const p of map.projects || []) {
    add(p.project.id, 'Project', p.project.name);
    edges.push({ source: c.id, sourceType: 'Company', target: p.project.id, targetType: 'Project', kind: 'OWNS', props: {} });
    for (const m of p.members || []) {
      add(m.customer.id, 'Customer', m.customer.name);
      edges.push({ source: m.customer.id, sourceType: 'Customer', target: p.project.id, targetType: 'Project', kind: 'MEMBER_OF', props: { role: m.role } });
    }
  }
  for (const r of [...(map.referralsIn || []), ...(map.referralsOut || [])]) {
    add(r.from.id, 'Customer', r.from.name);
    add(r.to.id, 'Customer', r.to.name);
    edges.push({ source: r.from.id, sourceType: 'Customer', target: r.to.id, targetType: 'Customer', kind: 'REFERRED', props: { at: r.at, converted: r.converted } });
  }
  return { nodes: [...nodes.values()], edges, truncated: false };
}

// Expanding a company or project node on the map.
const COMPANY_NEIGHBOURS = /* GraphQL */ `
  query WorkspaceCompanyNeighbours($id: ID!) {
    company(id: $id) {
      id name
      employees { id name }
      projects { id name }
    }
  }
`;

const PROJECT_NEIGHBOURS = /* GraphQL */ `
  query WorkspaceProjectNeighbours($id: ID!) {
    project(id: $id) {
      id name
      company { id name }
      members { id name }
    }
  }
`;

export async function neighbours(type, id, opts) {
  if (type === 'Customer') return network(id, 1, opts);
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
  query WorkspacePath($from: ID!, $to: ID!, $maxHops: Int) {
    relationshipPath(fromId: $from, toId: $to, maxHops: $maxHops) {
      length
      steps { customer { id name } kind properties }
    }
  }
`;

/** null when no path; else {length, steps:[{id, name, kind, props}]} (kind = edge into this step). */
export async function path(from, to, maxHops = 6, opts) {
  const data = await gql(PATH, { from, to, maxHops }, opts);
  const p = data?.relationshipPath;
  if (!p) return null;
  const steps = (p.steps || []).map((s) => ({
    id: s.customer?.id,
    name: s.customer?.name ?? s.customer?.id,
    kind: s.kind ?? null,
    props: s.properties ?? {},
  }));
  return { length: p.length ?? Math.max(0, steps.length - 1), steps };
}
