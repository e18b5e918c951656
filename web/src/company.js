// The company card: facts, employees, projects with members, referral flows in and out.

import { h, fmtDate, fmtNum, humanize, customerLink, companyLink } from './dom.js';

function list(title, testid, items, render, empty) {
  return h(
    'section',
    { class: 'card-section', dataset: { section: testid } },
    h('h3', {}, `${title} `, h('span', { class: 'count' }, items.length)),
    items.length ? h('ul', { class: 'plain rows' }, items.map((x) => h('li', {}, render(x)))) : h('p', { class: 'muted' }, empty),
  );
}

export function renderCompany(c) {
  const { employees, projects, referralsIn: inflow, referralsOut: outflow, referralsInternal: internal } = c;
  const attrs = c.attributes && typeof c.attributes === 'object' ? Object.entries(c.attributes) : [];
  const facts = [
    ['Industry', c.industry],
    ['Head count (declared)', c.employeeCount === null || c.employeeCount === undefined ? null : fmtNum(c.employeeCount)],
    ['City', c.city],
    ['Country', c.country],
    ['In CRM since', c.createdAt ? fmtDate(c.createdAt) : null],
    ...attrs.map(([k, v]) => [humanize(k), typeof v === 'object' ? JSON.stringify(v) : String(v)]),
  ].filter(([, v]) => v);
  const conv = (r) => (r.converted ? h('span', { class: 'pill ok' }, 'converted') : h('span', { class: 'pill' }, 'open'));
  return h(
    'article',
    { class: 'card company', dataset: { company: c.id } },
    h('header', { class: 'card-head' }, h('h2', { id: 'company-name' }, c.name || c.id), h('div', { class: 'sub muted' }, `company · id ${c.id}`)),
    h('section', { class: 'card-section' }, h('dl', { class: 'kv' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))),
    list('Employees', 'employees', employees, (e) => [customerLink(e.customer), h('span', { class: 'muted' }, ` · ${e.title || '—'} · ${fmtDate(e.since)} – ${e.until ? fmtDate(e.until) : 'now'}`)], 'No employees recorded.'),
    list(
      'Projects',
      'projects',
      projects,
      (p) => [
        h('strong', {}, p.project.name || p.project.id),
        h('span', { class: 'muted' }, ` · ${p.project.stage || '—'} · ${fmtNum(p.project.value)}`),
        (p.members || []).length ? h('div', { class: 'small' }, p.members.map((m, i) => [i ? ', ' : '', customerLink(m.customer), m.role ? ` (${m.role})` : ''])) : null,
      ],
      'No projects.',
    ),
    list('Referrals into the account', 'referrals-in', inflow, (r) => [customerLink(r.from), r.from.company ? [' (', companyLink(r.from.company), ')'] : null, ' → ', customerLink(r.to), ' ', conv(r), h('span', { class: 'muted' }, ` ${fmtDate(r.at)}`)], 'No referrals into this company.'),
    internal.length ? list('Referrals within the account', 'referrals-internal', internal, (r) => [customerLink(r.from), ' → ', customerLink(r.to), ' ', conv(r)], '') : null,
    list('Referrals out of the account', 'referrals-out', outflow, (r) => [customerLink(r.from), ' → ', customerLink(r.to), r.to.company ? [' (', companyLink(r.to.company), ')'] : null, ' ', conv(r), h('span', { class: 'muted' }, ` ${fmtDate(r.at)}`)], 'No referrals out of this company.'),
  );
}
