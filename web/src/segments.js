// Segment view (人群): list with size sparklines, then one segment's size, history, portrait
// charts (distributions, top tags with lift, averages) and its overlap with another segment.
// Charts are small hand-drawn SVGs: no chart library, nothing fetched from outside.

import { h, clear, fmtDate, fmtNum, humanize } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`);

/** A sparkline of snapshot counts (oldest first). */
export function sparkline(history, { width = 120, height = 28, label = true } = {}) {
  const pts = (history || []).map((p) => p.count);
  if (pts.length < 2) return h('span', { class: 'muted small spark-none' }, pts.length ? `${fmtNum(pts[0])} (1 snapshot)` : 'no snapshots yet');
  const max = Math.max(...pts);
  const min = Math.min(...pts);
  const span = max - min || 1;
  const x = (i) => 2 + (i * (width - 4)) / (pts.length - 1);
  const y = (v) => height - 3 - ((v - min) * (height - 6)) / span;
  const line = pts.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const first = history[0];
  const last = history[history.length - 1];
  const svg = s(
    'svg',
    { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `size from ${first.count} to ${last.count}` },
    s('title', {}, `${fmtDate(first.at)}: ${fmtNum(first.count)} → ${fmtDate(last.at)}: ${fmtNum(last.count)}`),
    s('polyline', { points: line, fill: 'none', stroke: '#2f6fb3', 'stroke-width': 1.6 }),
    s('circle', { cx: x(pts.length - 1), cy: y(pts[pts.length - 1]), r: 2.5, fill: '#2f6fb3' }),
  );
  return label ? h('span', { class: 'spark-wrap' }, svg) : svg;
}

function bars(dist) {
  const buckets = dist.buckets || [];
  const max = Math.max(0.0001, ...buckets.map((b) => b.share));
  return h(
    'div',
    { class: 'chart', dataset: { dimension: dist.dimension } },
    h('h4', {}, humanize(dist.dimension.replace(/^tag_category:/, 'tags: '))),
    buckets.length
      ? h(
          'table',
          { class: 'bars' },
          buckets.map((b) => {
            const label =
              b.value ?? (b.low !== null && b.low !== undefined ? `${fmtNum(b.low)}–${b.high === null || b.high === undefined ? '' : fmtNum(b.high)}` : 'unknown');
            return h(
              'tr',
              {},
              h('td', { class: 'bar-label', title: label }, label),
              h('td', { class: 'bar-cell' }, h('span', { class: 'bar', style: `width:${((b.share / max) * 100).toFixed(1)}%` })),
              h('td', { class: 'bar-value' }, `${pct(b.share)} · ${fmtNum(b.count)}`),
            );
          }),
        )
      : h('p', { class: 'muted' }, 'No data.'),
  );
}

function topTags(tags) {
  if (!tags?.length) return h('p', { class: 'muted' }, 'No tags among the members.');
  return h(
    'table',
    { class: 'counts toptags' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Tag'), h('th', {}, 'Members'), h('th', {}, 'All customers'), h('th', {}, 'Lift'))),
    h(
      'tbody',
      {},
      tags.map((t) =>
        h(
          'tr',
          { dataset: { tag: t.key } },
          h('td', {}, t.name || t.key, t.category ? h('span', { class: 'muted small' }, ` · ${t.category}`) : null),
          h('td', {}, `${pct(t.share)} (${fmtNum(t.holders)})`),
          h('td', {}, pct(t.populationShare)),
          h('td', { class: t.lift > 1.2 ? 'lift-up' : t.lift < 0.8 ? 'lift-down' : '' }, t.lift === null || t.lift === undefined ? '—' : `×${t.lift.toFixed(2)}`),
        ),
      ),
    ),
  );
}

/** Two-set Venn diagram from segmentOverlap (regions by keys). */
export function venn(o) {
  const [a, b] = o.keys;
  const region = (keys) => o.regions.find((r) => r.keys.length === keys.length && keys.every((k) => r.keys.includes(k)))?.count ?? 0;
  const onlyA = region([a]);
  const onlyB = region([b]);
  const both = region([a, b]);
  const w = 360;
  const hgt = 170;
  return h(
    'div',
    { class: 'venn', dataset: { onlyA, onlyB, both } },
    s(
      'svg',
      { width: w, height: hgt, viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': `${a}: ${onlyA} only, ${b}: ${onlyB} only, both: ${both}` },
      s('circle', { cx: 135, cy: 85, r: 70, fill: '#2f6fb3', 'fill-opacity': 0.25, stroke: '#2f6fb3' }),
      s('circle', { cx: 225, cy: 85, r: 70, fill: '#d98e04', 'fill-opacity': 0.25, stroke: '#d98e04' }),
      s('text', { x: 100, y: 90, 'text-anchor': 'middle', class: 'venn-n' }, fmtNum(onlyA)),
      s('text', { x: 180, y: 90, 'text-anchor': 'middle', class: 'venn-n' }, fmtNum(both)),
      s('text', { x: 260, y: 90, 'text-anchor': 'middle', class: 'venn-n' }, fmtNum(onlyB)),
      s('text', { x: 100, y: 14, 'text-anchor': 'middle', class: 'venn-k' }, a),
      s('text', { x: 260, y: 14, 'text-anchor': 'middle', class: 'venn-k' }, b),
    ),
    h('p', { class: 'small' }, `Only ${a}: ${fmtNum(onlyA)} · both: ${fmtNum(both)} · only ${b}: ${fmtNum(onlyB)} · together: ${fmtNum(o.union)}`),
  );
}

/** The side list of segments; sizes come in later through setSize(key, n). */
export function renderSegmentList(list, activeKey) {
  const items = new Map();
  const el = h(
    'div',
    { class: 'card seglist' },
    h('h2', {}, 'Segments'),
    list.length
      ? h(
          'ul',
          { class: 'plain rows' },
          list.map((g) => {
            const size = h('span', { class: 'seg-size' }, '…');
            items.set(g.key, size);
            return h(
              'li',
              { class: g.key === activeKey ? 'active' : '', dataset: { segment: g.key } },
              h('a', { href: `#/segment/${encodeURIComponent(g.key)}` }, g.name || g.key),
              h('span', { class: 'muted small' }, ` ${g.key} · ${g.kind.toLowerCase()} · ${g.status.toLowerCase()}`),
              h('div', { class: 'seg-line' }, size, sparkline(g.history)),
            );
          }),
        )
      : h('p', { class: 'muted' }, 'No segments defined yet. Create one with the createSegment mutation (docs/segments.md).'),
  );
  return {
    el,
    setSize(key, n) {
      const span = items.get(key);
      if (span) span.textContent = n === null ? '?' : `${fmtNum(n)} customer${n === 1 ? '' : 's'}`;
    },
  };
}

/** One segment's page. onOverlap(otherKey) resolves to a segmentOverlap answer. */
export function renderSegment(g, others, { onOverlap }) {
  const p = g.portrait || {};
  const avg = p.averages || {};
  const share = p.population ? g.count / p.population : null;
  const overlapOut = h('div', { id: 'overlap-result' });
  const pick = h(
    'select',
    { id: 'overlap-with', 'aria-label': 'Compare with segment' },
    h('option', { value: '' }, 'compare with…'),
    others.filter((o) => o.key !== g.key).map((o) => h('option', { value: o.key }, o.name || o.key)),
  );
  pick.addEventListener('change', async () => {
    clear(overlapOut);
    if (!pick.value) return;
    overlapOut.append(h('span', { class: 'muted' }, 'Counting…'));
    const o = await onOverlap(pick.value);
    clear(overlapOut);
    if (o) overlapOut.append(venn(o));
  });
  return h(
    'div',
    { class: 'segview', dataset: { segment: g.key } },
    h(
      'header',
      { class: 'seg-head' },
      h('h2', { id: 'segment-name' }, g.name || g.key),
      h('span', { class: 'stage' }, g.status.toLowerCase()),
      h('div', { class: 'muted' }, `${g.key} · ${g.kind === 'RULE' ? 'rule' : `saved query ${g.query || ''}`} · ${g.source}${g.owner ? ` · owner ${g.owner}` : ''}`),
      g.description ? h('p', {}, g.description) : null,
    ),
    h(
      'div',
      { class: 'seg-cards' },
      h('div', { class: 'rfm-cell', dataset: { field: 'segment-size' } }, h('span', { class: 'rfm-k' }, 'Members now'), h('span', { class: 'rfm-v', id: 'segment-size' }, fmtNum(g.count)), h('span', { class: 'muted small' }, share === null ? '' : `${pct(share)} of ${fmtNum(p.population)} customers`)),
      h('div', { class: 'rfm-cell' }, h('span', { class: 'rfm-k' }, 'Size history'), sparkline(g.history, { width: 200, height: 40 }), h('span', { class: 'muted small' }, `${(g.history || []).length} snapshots`)),
      h('div', { class: 'rfm-cell' }, h('span', { class: 'rfm-k' }, 'Average spend'), h('span', { class: 'rfm-v' }, fmtNum(avg.spend)), h('span', { class: 'muted small' }, `all customers ${fmtNum(avg.populationSpend)}`)),
      h('div', { class: 'rfm-cell' }, h('span', { class: 'rfm-k' }, 'Purchases per year'), h('span', { class: 'rfm-v' }, fmtNum(avg.purchasesPerYear)), h('span', { class: 'muted small' }, `all customers ${fmtNum(avg.populationPurchasesPerYear)}`)),
    ),
    g.rule ? h('details', {}, h('summary', {}, 'Rule'), h('pre', { class: 'rule' }, JSON.stringify(g.rule, null, 2))) : null,
    h('section', { class: 'card-section' }, h('h3', {}, 'Overlap'), pick, overlapOut),
    h('section', { class: 'card-section' }, h('h3', {}, 'Top tags (share of members against all customers)'), topTags(p.topTags)),
    h('section', { class: 'card-section' }, h('h3', {}, `Who they are (${fmtNum(p.size)} members, as of ${fmtDate(p.asOf)})`), h('div', { class: 'charts' }, (p.distributions || []).map(bars))),
    h(
      'section',
      { class: 'card-section' },
      h('h3', {}, 'A few members'),
      (g.sample || []).length ? h('ul', { class: 'plain sample' }, g.sample.map((c) => h('li', {}, h('a', { href: `#/customer/${encodeURIComponent(c.id)}` }, c.name || c.id)))) : h('p', { class: 'muted' }, 'No members.'),
    ),
  );
}
