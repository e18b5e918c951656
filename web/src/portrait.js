// The customer portrait card: attributes, tags by category, statistics, lifecycle, RFM,
// relationships. Every section tolerates missing data (an empty portrait still renders).

import { h, fmtDate, fmtNum, humanize, companyLink } from './dom.js';

const STATIC_FIELDS = [
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['gender', 'Gender'],
  ['birthDate', 'Birth date', 'date'],
  ['city', 'City'],
  ['country', 'Country'],
  ['occupation', 'Occupation'],
  ['sourceChannel', 'Source channel'],
  ['createdAt', 'Customer since', 'date'],
];

function dl(rows, cls = 'kv') {
  return h('dl', { class: cls }, rows.map(([k, v, testid]) => [h('dt', {}, k), h('dd', { dataset: testid ? { field: testid } : {} }, v)]));
}

function section(title, testid, ...body) {
  return h('section', { class: 'card-section', dataset: { section: testid } }, h('h3', {}, title), ...body);
}

function tagChip(t, asOf, onWhy) {
  const valid = t.valid ?? (!t.expiresAt || new Date(t.expiresAt) > new Date(asOf || Date.now()));
  const title = [
    t.source && `source: ${t.source}`,
    t.value !== null && t.value !== undefined && `value: ${typeof t.value === 'object' ? JSON.stringify(t.value) : t.value}`,
    t.score !== null && t.score !== undefined && `score: ${fmtNum(t.score)}`,
    t.assignedAt && `assigned: ${fmtDate(t.assignedAt)}`,
    `expires: ${t.expiresAt ? fmtDate(t.expiresAt) : 'never'}`,
    valid ? 'valid now' : 'not valid now (expired or not yet active)',
  ]
    .filter(Boolean)
    .join('\n');
  const chip = h(
    'button',
    {
      type: 'button',
      class: `tag ${valid ? 'valid' : 'invalid'}`,
      title,
      dataset: { tag: t.key || t.name, valid: String(!!valid) },
      onclick: () => onWhy?.(t),
    },
    t.name || t.key,
    t.value !== null && t.value !== undefined && t.value !== '' ? h('span', { class: 'tag-value' }, typeof t.value === 'number' ? fmtNum(t.value) : String(t.value)) : null,
    h('span', { class: 'tag-state' }, valid ? '✓' : 'expired'),
  );
  return chip;
}

function tagsSection(p, onWhy) {
  const groups = (p?.tags || []).filter((g) => (g.tags || []).length);
  if (!groups.length) return section('Tags', 'tags', h('p', { class: 'muted' }, 'No tags yet.'));
  return section(
    'Tags',
    'tags',
    groups.map((g) =>
      h(
        'div',
        { class: 'tag-group', dataset: { category: g.category || 'other' } },
        h('div', { class: 'tag-category' }, humanize(g.category || 'other')),
        h('div', { class: 'tag-list' }, g.tags.map((t) => tagChip(t, p.asOf, onWhy))),
      ),
    ),
    h('div', { class: 'why', id: 'why', hidden: true }),
  );
}

function statsSection(b) {
  if (!b) return section('Behaviour', 'stats', h('p', { class: 'muted' }, 'No statistics.'));
  const windows = [...(b.windows || [])].sort((x, y) => x.days - y.days);
  const types = [...new Set(windows.flatMap((w) => (w.byType || []).map((t) => t.type)))].sort();
  const count = (w, type) => (w.byType || []).find((t) => t.type === type)?.count ?? 0;
  const table = types.length
    ? h(
        'table',
        { class: 'counts' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Interactions'), windows.map((w) => h('th', {}, `${w.days} d`)))),
        h(
          'tbody',
          {},
          types.map((t) => h('tr', { dataset: { type: t } }, h('td', {}, humanize(t)), windows.map((w) => h('td', {}, fmtNum(count(w, t)))))),
          h('tr', { class: 'total' }, h('td', {}, 'All'), windows.map((w) => h('td', {}, fmtNum(w.count)))),
        ),
      )
    : h('p', { class: 'muted' }, 'No interactions recorded in the last year.');
  const first = b.firstInteraction;
  const last = b.lastInteraction;
  return section(
    'Behaviour',
    'stats',
    table,
    dl([
      ['Interactions', fmtNum(b.interactionCount), 'interactionCount'],
      ['Purchases', fmtNum(b.purchaseCount), 'purchaseCount'],
      ['Total purchases', fmtNum(b.purchaseTotal), 'totalPurchaseAmount'],
      ['Average purchase', fmtNum(b.purchaseAverage), 'averagePurchaseAmount'],
      ['First interaction', first ? `${fmtDate(first.at)} · ${first.type}` : '—', 'firstInteraction'],
      ['Last interaction', last ? `${fmtDate(last.at)} · ${last.type}` : '—', 'lastInteraction'],
      ['Active days', fmtNum(b.activeDays), 'activeDays'],
    ]),
  );
}

function scoreBar(score) {
  const n = Math.max(0, Math.min(5, Number(score) || 0));
  return h('span', { class: 'score', title: `score ${score ?? '—'} of 5` }, [1, 2, 3, 4, 5].map((i) => h('i', { class: i <= n ? 'on' : '' })), h('b', {}, score ?? '—'));
}

function rfmSection(r) {
  if (!r || (!r.frequency && !r.monetary)) return section('RFM', 'rfm', h('p', { class: 'muted' }, 'No purchases yet, so no RFM.'));
  return section(
    'RFM',
    'rfm',
    h(
      'div',
      { class: 'rfm' },
      h('div', { class: 'rfm-cell', dataset: { field: 'recency' } }, h('span', { class: 'rfm-k' }, 'Recency'), h('span', { class: 'rfm-v' }, r.recencyDays === null || r.recencyDays === undefined ? '—' : `${fmtNum(r.recencyDays)} days`), scoreBar(r.recencyScore)),
      h('div', { class: 'rfm-cell', dataset: { field: 'frequency' } }, h('span', { class: 'rfm-k' }, 'Frequency'), h('span', { class: 'rfm-v' }, fmtNum(r.frequency)), scoreBar(r.frequencyScore)),
      h('div', { class: 'rfm-cell', dataset: { field: 'monetary' } }, h('span', { class: 'rfm-k' }, 'Monetary'), h('span', { class: 'rfm-v' }, fmtNum(r.monetary)), scoreBar(r.monetaryScore)),
    ),
    r.population ? h('p', { class: 'muted small' }, `Scores are quintiles (5 = best) among ${fmtNum(r.population)} customers with purchases.`) : null,
  );
}

function relSection(rel, employments) {
  if (!rel) return null;
  const ref = (x) => (x === null || x === undefined ? '—' : typeof x === 'object' ? `${fmtNum(x.total)} (${fmtNum(x.converted)} converted)` : fmtNum(x));
  return section(
    'Relationships',
    'relationships',
    dl([
      ['Employer', rel.employer?.company ? [companyLink(rel.employer.company), rel.employer.title ? h('span', { class: 'muted' }, ` · ${rel.employer.title}`) : null] : '—', 'employer'],
      ['Colleagues', fmtNum(rel.colleaguesCount), 'colleaguesCount'],
      ['Knows', fmtNum(rel.knowsCount), 'knowsCount'],
      ['Referrals made', ref(rel.referralsMade), 'referralsMade'],
      ['Referrals received', ref(rel.referralsReceived), 'referralsReceived'],
      [
        'Projects',
        (rel.projects || []).length ? h('ul', { class: 'plain' }, rel.projects.map((p) => h('li', {}, p.project?.name || p.project?.id, p.role ? h('span', { class: 'muted' }, ` · ${p.role}`) : null))) : '—',
        'projects',
      ],
    ]),
    (employments || []).length > 1
      ? h('details', {}, h('summary', {}, 'Employment history'), h('ul', { class: 'plain' }, employments.map((e) => h('li', {}, companyLink(e.company), ` · ${e.title || ''} ${fmtDate(e.since)} – ${e.until ? fmtDate(e.until) : 'now'}`))))
      : null,
  );
}

/** Render a customer (from queries.portrait) as the portrait card. */
export function renderPortrait(c, { onWhy } = {}) {
  const p = c.portrait || {};
  const stage = typeof p.lifecycleStage === 'string' ? p.lifecycleStage.toLowerCase() : null;
  const employer = p.relationships?.employer?.company || c.company;
  const attrs = c.attributes && typeof c.attributes === 'object' ? Object.entries(c.attributes) : [];
  const staticRows = STATIC_FIELDS.filter(([k]) => c[k] !== null && c[k] !== undefined && c[k] !== '').map(([k, label, kind]) => [
    label,
    kind === 'date' ? fmtDate(c[k]) : String(c[k]),
    k,
  ]);
  return h(
    'article',
    { class: 'card portrait', dataset: { customer: c.id } },
    h(
      'header',
      { class: 'card-head' },
      h('h2', { id: 'portrait-name' }, c.name || c.id),
      typeof stage === 'string' ? h('span', { class: `stage stage-${stage.toLowerCase()}`, dataset: { field: 'lifecycle' }, title: 'Lifecycle stage' }, stage) : null,
      h('div', { class: 'sub' }, employer ? [companyLink(employer), ' · '] : null, h('span', { class: 'muted' }, `id ${c.id}`)),
      p.asOf ? h('div', { class: 'muted small' }, `as of ${fmtDate(p.asOf)}`) : null,
    ),
    section('Attributes', 'attributes', dl(staticRows), attrs.length ? h('details', { open: attrs.length <= 6 }, h('summary', {}, 'Custom attributes'), dl(attrs.map(([k, v]) => [humanize(k), typeof v === 'object' ? JSON.stringify(v) : String(v), `attr-${k}`]))) : null),
    tagsSection(p, onWhy),
    rfmSection(p.rfm),
    statsSection(p.behaviour),
    relSection(p.relationships, c.employments),
  );
}
