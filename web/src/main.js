// The workspace shell: hash routes (#/customer/ID, #/company/ID), search, API key, errors.

import './style.css';
import { ApiError, getApiKey, setApiKey } from './api.js';
import * as q from './queries.js';
import { createMap } from './map.js';
import { renderPortrait } from './portrait.js';
import { renderCompany } from './company.js';
import { renderSegmentList, renderSegment } from './segments.js';
import { h, clear, fmtDate, fmtNum } from './dom.js';

const $ = (sel) => document.querySelector(sel);
const side = $('#side');
const mapview = $('#mapview');
const errorBox = $('#error');

// ---- errors -------------------------------------------------------------------------------

export function showError(err, context = '') {
  if (err?.name === 'AbortError') return;
  const plain = err instanceof ApiError ? err.message : 'Something went wrong in this page. Reload it and try again.';
  const detail = err instanceof ApiError ? err.detail : String(err?.stack || err);
  clear(errorBox);
  errorBox.append(
    h('span', { class: 'error-text', id: 'error-text' }, context ? `${context}: ${plain}` : plain),
    detail ? h('details', {}, h('summary', {}, 'Technical details'), h('pre', {}, detail)) : null,
    h('button', { type: 'button', class: 'ghost', onclick: hideError, 'aria-label': 'Dismiss' }, '×'),
  );
  errorBox.hidden = false;
  if (!(err instanceof ApiError)) console.error(err);
}

function hideError() {
  errorBox.hidden = true;
  clear(errorBox);
}

window.addEventListener('unhandledrejection', (ev) => showError(ev.reason));

// ---- API key ------------------------------------------------------------------------------

const keyButton = $('#key-button');
const keyDialog = $('#key-dialog');
function refreshKeyButton() {
  keyButton.textContent = getApiKey() ? 'API key ✓' : 'API key';
  keyButton.classList.toggle('has-key', !!getApiKey());
}
keyButton.addEventListener('click', () => {
  $('#key-input').value = getApiKey();
  keyDialog.showModal();
});
keyDialog.addEventListener('close', () => {
  if (keyDialog.returnValue === 'save') setApiKey($('#key-input').value.trim());
  if (keyDialog.returnValue === 'clear') setApiKey('');
  refreshKeyButton();
  if (keyDialog.returnValue === 'save' || keyDialog.returnValue === 'clear') route();
});
refreshKeyButton();

// ---- search (used by the top bar and by "path to") ----------------------------------------

function debounce(fn, ms) {
  let t;
  return (...a) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}

function attachSearch(input, list, { onPick, only } = {}) {
  let ctrl = null;
  let items = [];
  let active = -1;
  const close = () => {
    list.hidden = true;
    active = -1;
  };
  const paint = (message) => {
    clear(list);
    if (message) list.append(h('li', { class: 'muted empty' }, message));
    items.forEach((it, i) =>
      list.append(
        h(
          'li',
          {
            role: 'option',
            class: i === active ? 'active' : '',
            dataset: { type: it.type, id: it.id },
            onmousedown: (ev) => {
              ev.preventDefault();
              pick(it);
            },
          },
          h('span', { class: `badge badge-${it.type.toLowerCase()}` }, it.type === 'Company' ? 'Company' : 'Customer'),
          h('span', { class: 'name' }, it.name),
          it.sub ? h('span', { class: 'muted sub' }, it.sub) : null,
        ),
      ),
    );
    list.hidden = false;
  };
  const pick = (it) => {
    close();
    onPick(it);
  };
  const run = debounce(async () => {
    const text = input.value.trim();
    if (text.length < 2) {
      items = [];
      close();
      return;
    }
    ctrl?.abort();
    ctrl = new AbortController();
    try {
      list.dataset.busy = 'true';
      let found = await q.search(text, { signal: ctrl.signal });
      if (only) found = found.filter((f) => f.type === only);
      items = found.slice(0, 20);
      active = items.length ? 0 : -1;
      paint(items.length ? '' : `Nothing found for “${text}”.`);
      hideError();
    } catch (e) {
      if (e?.name !== 'AbortError') {
        items = [];
        close();
        showError(e, 'Search failed');
      }
    } finally {
      list.dataset.busy = 'false';
    }
  }, 250);
  input.addEventListener('input', run);
  input.addEventListener('keydown', (ev) => {
    if (list.hidden) return;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      active = (active + (ev.key === 'ArrowDown' ? 1 : -1) + items.length) % Math.max(1, items.length);
      paint();
    } else if (ev.key === 'Enter' && items[active]) {
      ev.preventDefault();
      pick(items[active]);
    } else if (ev.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}

attachSearch($('#search-input'), $('#search-results'), {
  onPick: (it) => {
    $('#search-input').value = '';
    location.hash = `#/${it.type.toLowerCase()}/${encodeURIComponent(it.id)}`;
  },
});

// ---- the map panel ------------------------------------------------------------------------

let map = null;
let current = null; // {type, id, name}
let viewToken = 0;

function buildMapPanel(title) {
  clear(mapview);
  mapview.hidden = false;
  const legend = h(
    'div',
    { class: 'kinds', role: 'group', 'aria-label': 'Relationship kinds shown' },
    q.KINDS.map((k) =>
      h(
        'label',
        { class: 'kind', dataset: { kind: k.key } },
        h('input', {
          type: 'checkbox',
          checked: true,
          value: k.key,
          onchange: (ev) => {
            map?.setHidden(k.key, !ev.target.checked);
            mapview.dispatchEvent(new CustomEvent('kinds-changed'));
          },
        }),
        h('i', { class: `swatch swatch-${k.key}` }),
        k.label,
      ),
    ),
  );
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h('h2', { class: 'map-title' }, title),
    legend,
  );
  const controls = [
    h('div', { class: 'spacer' }),
    h('label', { class: 'depth', title: 'How many steps out from the customer' }, 'Depth ', h('select', { id: 'depth' }, [1, 2, 3].map((d) => h('option', { value: d }, d)))),
    h('button', { type: 'button', class: 'ghost', onclick: () => map?.fit(), title: 'Fit the map to the window' }, 'Fit'),
  ];
  const pathBar = h(
    'div',
    { class: 'pathbar', id: 'pathbar' },
    h('label', { for: 'path-input' }, 'Path to'),
    h('div', { class: 'search small' }, h('input', { id: 'path-input', type: 'search', autocomplete: 'off', placeholder: 'another customer…' }), h('ul', { id: 'path-results', class: 'search-results', hidden: true })),
    h('div', { id: 'path-result', class: 'path-result', 'aria-live': 'polite' }),
    controls,
  );
  const canvas = h('div', { id: 'cy', class: 'cy' });
  const overlay = h('div', { id: 'map-empty', class: 'map-empty', hidden: true });
  const notice = h('div', { id: 'map-notice', class: 'map-notice', hidden: true });
  const info = h('div', { id: 'node-info', class: 'node-info', hidden: true });
  const status = h('div', { id: 'map-status', class: 'map-status muted' });
  mapview.append(toolbar, pathBar, h('div', { class: 'cy-wrap' }, canvas, overlay, notice, info, status));
  map?.destroy();
  map = createMap(canvas, {
    onSelect: (d) => showNodeInfo(d),
    onExpand: (d) => expand(d),
    onStatus: (s) => {
      status.textContent = `${s.visible} of ${s.nodes} nodes shown · ${s.edges} links · click a node to expand it`;
    },
  });
  window.__custgraph = { map, cy: map.cy };
  return { overlay, notice };
}

async function expand(d) {
  try {
    const net = await q.neighbours(d.type, d.rawId, q.connectionKinds(map.hiddenKinds()));
    if (net?.truncated) showNotice('Some neighbours of this node were left out: the network is larger than the map shows.');
    return net;
  } catch (e) {
    showError(e, `Could not expand ${d.label}`);
    return null;
  }
}

function showNotice(text) {
  const n = $('#map-notice');
  if (!n) return;
  n.textContent = text;
  n.hidden = !text;
}

function showNodeInfo(d) {
  const box = $('#node-info');
  if (!box) return;
  clear(box);
  if (!d) {
    box.hidden = true;
    return;
  }
  const href = d.type === 'Company' ? `#/company/${encodeURIComponent(d.rawId)}` : d.type === 'Customer' ? `#/customer/${encodeURIComponent(d.rawId)}` : null;
  box.append(
    h('strong', {}, d.label),
    h('span', { class: 'muted' }, ` ${d.type} · ${d.rawId}`),
    href ? h('a', { href, class: 'open' }, d.type === 'Company' ? 'Open company' : 'Open portrait') : null,
  );
  box.hidden = false;
}

// ---- views --------------------------------------------------------------------------------

function loading(text) {
  clear(side).append(h('p', { class: 'muted loading' }, text));
}

async function showCustomer(id) {
  const token = ++viewToken;
  loading('Loading portrait…');
  const { overlay, notice } = buildMapPanel('Relationship map');
  current = { type: 'Customer', id };
  const depthSel = $('#depth');
  let fetchedKinds = null; // connection kinds the drawn network was fetched with (null = all)
  let lastTruncated = false;
  const loadMap = async () => {
    overlay.hidden = true;
    notice.hidden = true;
    mapview.dataset.state = 'loading';
    const kinds = q.connectionKinds(map.hiddenKinds());
    try {
      const net = await q.network(id, Number(depthSel.value), kinds);
      if (token !== viewToken) return;
      if (!net) return;
      fetchedKinds = kinds;
      lastTruncated = net.truncated;
      await map.show(net, { type: 'Customer', id });
      if (net.nodes.length <= 1) {
        overlay.textContent = 'No relationships recorded for this customer yet: no employer, projects, referrals or acquaintances.';
        overlay.hidden = false;
      }
      if (net.truncated) {
        notice.textContent = `The network is larger than the map can show: only the first ${q.NODE_LIMIT} nodes are drawn. Lower the depth or switch off some relationship kinds.`;
        notice.hidden = false;
      }
      mapview.dataset.state = 'ready';
    } catch (e) {
      if (token !== viewToken) return;
      mapview.dataset.state = 'error';
      await map.show({ nodes: [], edges: [], truncated: false }, null);
      overlay.textContent = 'The relationship map could not be loaded (see the message above).';
      overlay.hidden = false;
      showError(e, 'Could not load the relationship map');
    }
  };
  depthSel.addEventListener('change', loadMap);
  // Beyond the first ring (or when the cap cut the network) hidden kinds also change what the
  // service should walk through: ask again with only the wanted kinds. Otherwise hiding is enough.
  mapview.addEventListener('kinds-changed', () => {
    const kinds = q.connectionKinds(map.hiddenKinds());
    if (JSON.stringify(kinds) === JSON.stringify(fetchedKinds)) return;
    if (Number(depthSel.value) > 1 || lastTruncated || fetchedKinds !== null) loadMap();
  });

  attachSearch($('#path-input'), $('#path-results'), {
    only: 'Customer',
    onPick: (it) => findPath(id, it),
  });

  const portraitP = q.portrait(id).then(
    (c) => {
      if (token !== viewToken) return;
      clear(side);
      if (!c) {
        side.append(h('div', { class: 'card empty-card' }, h('h2', {}, 'Customer not found'), h('p', {}, `There is no customer with id “${id}”. It may have been merged or deleted; search for the name instead.`)));
        mapview.hidden = true;
        return;
      }
      current.name = c.name;
      document.title = `${c.name} · custgraph`;
      $('.map-title').textContent = `Relationship map of ${c.name}`;
      side.append(renderPortrait(c, { onWhy: (t) => showWhy(c.id, t) }));
      side.dataset.state = 'ready';
    },
    (e) => {
      if (token !== viewToken) return;
      clear(side).append(h('div', { class: 'card empty-card' }, h('h2', {}, 'Portrait unavailable'), h('p', {}, e.message || String(e))));
      side.dataset.state = 'error';
      showError(e, 'Could not load the portrait');
    },
  );
  await Promise.all([portraitP, loadMap()]);
}

async function findPath(fromId, to) {
  const out = $('#path-result');
  clear(out).append(h('span', { class: 'muted' }, `Looking for a path to ${to.name}…`));
  $('#path-input').value = to.name;
  try {
    const p = await q.path(fromId, to.id);
    clear(out);
    if (!p) {
      map.clearPath();
      out.dataset.state = 'none';
      out.append(h('span', {}, `No connection to ${to.name} within 6 steps.`));
      return;
    }
    out.dataset.state = 'found';
    out.append(
      h('span', { class: 'path-len' }, `${p.length} step${p.length === 1 ? '' : 's'}: `),
      h(
        'ol',
        { class: 'path-steps' },
        p.steps.map((s, i) =>
          h('li', { dataset: { id: s.id } }, i > 0 ? h('span', { class: 'path-kind' }, `${String(s.kind || '').toLowerCase().replace(/_/g, ' ')} → `) : null, h('a', { href: `#/customer/${encodeURIComponent(s.id)}` }, s.name)),
        ),
      ),
      h('button', { type: 'button', class: 'ghost', onclick: () => { map.clearPath(); clear(out); $('#path-input').value = ''; } }, 'Clear'),
    );
    await map.highlightPath(p.steps);
  } catch (e) {
    clear(out);
    showError(e, 'Could not find a path');
  }
}

function showWhy(customerId, tag) {
  const box = document.getElementById('why');
  if (!box) return;
  clear(box);
  const rows = [
    ['Tag', `${tag.name || tag.key} (${tag.key})`],
    ['Source', [tag.source, tag.assignedBy && `by ${tag.assignedBy}`].filter(Boolean).join(' ') || '—'],
    ['Score', fmtNum(tag.score)],
    ...(tag.value !== null && tag.value !== undefined ? [['Value', typeof tag.value === 'object' ? JSON.stringify(tag.value) : String(tag.value)]] : []),
    ['Assigned', fmtDate(tag.assignedAt)],
    ['Expires', tag.expiresAt ? fmtDate(tag.expiresAt) : 'never'],
    ['Valid now', tag.valid === false ? 'no' : 'yes'],
  ];
  if (tag.reason) rows.push(['Reason', tag.reason]);
  box.append(h('dl', { class: 'kv' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
  box.hidden = false;
  const why = h('div', { class: 'why-text muted', id: 'why-text' }, 'Looking for an explanation…');
  box.append(why);
  q.whyTagged(customerId, tag.key).then(
    (x) => {
      if (x === null) {
        clear(why).append('No explanation recorded for this tag.');
        return;
      }
      clear(why).append(renderExplanation(x));
      why.dataset.state = 'ready';
      why.classList.remove('muted');
    },
    (e) => {
      why.dataset.state = 'error';
      clear(why).append(`No explanation available: ${e.message}`);
    },
  );
}

/** Render whatever the explanation type carries: summary first, then branches with evidence. */
function renderExplanation(x) {
  if (typeof x !== 'object') return h('p', {}, String(x));
  const lists = Object.entries(x).filter(([, v]) => Array.isArray(v) && v.length && typeof v[0] === 'object');
  return h(
    'div',
    { class: 'explanation', dataset: { testid: 'why-tagged' } },
    x.tagged === false ? h('p', { class: 'why-summary' }, `Not carrying this tag as of ${fmtDate(x.asOf)}.`) : null,
    x.summary ? h('p', { class: 'why-summary' }, x.summary) : null,
    x.rule ? h('p', { class: 'small' }, h('span', { class: 'muted' }, 'Rule: '), h('code', {}, x.rule)) : null,
    lists.map(([, items]) =>
      h(
        'ul',
        { class: 'plain why-branches' },
        items.map((b) =>
          h(
            'li',
            { class: b.held === false ? 'not-held' : 'held' },
            b.held === undefined ? null : h('span', { class: 'held-mark' }, b.held ? '✓ ' : '✗ '),
            b.text || b.condition || JSON.stringify(b),
            Array.isArray(b.evidence) && b.evidence.length ? h('div', { class: 'muted small' }, `evidence: ${b.evidence.join(', ')}`) : null,
          ),
        ),
      ),
    ),
  );
}

async function showCompany(id) {
  const token = ++viewToken;
  loading('Loading company…');
  const { overlay } = buildMapPanel('Company relationship map');
  current = { type: 'Company', id };
  $('#path-input').closest('.search').hidden = true;
  $('label[for="path-input"]').hidden = true;
  $('#path-result').append(h('span', { class: 'muted' }, 'Click a person, project or company to expand it; open a person for paths between customers.'));
  $('.depth').hidden = true;
  try {
    const c = await q.company(id);
    if (token !== viewToken) return;
    clear(side);
    if (!c) {
      side.append(h('div', { class: 'card empty-card' }, h('h2', {}, 'Company not found'), h('p', {}, `There is no company with id “${id}”.`)));
      mapview.hidden = true;
      return;
    }
    document.title = `${c.name} · custgraph`;
    $('.map-title').textContent = `Relationship map of ${c.name}`;
    side.append(renderCompany(c));
    side.dataset.state = 'ready';
    const net = q.companyNetwork(c);
    await map.show(net, { type: 'Company', id: c.id });
    if (net.nodes.length <= 1) {
      overlay.textContent = 'No employees, projects or referrals recorded for this company yet.';
      overlay.hidden = false;
    }
    mapview.dataset.state = 'ready';
  } catch (e) {
    if (token !== viewToken) return;
    clear(side).append(h('div', { class: 'card empty-card' }, h('h2', {}, 'Company unavailable'), h('p', {}, e.message || String(e))));
    showError(e, 'Could not load the company');
  }
}

function showHome() {
  viewToken++;
  map?.destroy();
  map = null;
  mapview.hidden = true;
  document.title = 'custgraph workspace';
  clear(side).append(
    h(
      'div',
      { class: 'card welcome' },
      h('h2', {}, 'Customer workspace'),
      h('p', {}, 'Search a customer or a company by name, phone or email in the box above.'),
      h('ul', { class: 'plain' }, h('li', {}, 'Portrait: attributes, tags, behaviour, RFM and lifecycle.'), h('li', {}, 'Relationship map: click a node to expand it, filter kinds, find a path to another customer.'), h('li', {}, 'Company: employees, projects and referral flows.'), h('li', {}, h('a', { href: '#/segments' }, 'Segments'), ': size, history, overlap and who the members are.')),
      h('p', { class: 'muted small' }, '支持中文姓名与公司名搜索。'),
    ),
  );
  $('#search-input').focus();
}

async function showSegments(key) {
  const token = ++viewToken;
  map?.destroy();
  map = null;
  delete mapview.dataset.state;
  loading('Loading segments…');
  clear(mapview);
  mapview.hidden = false;
  mapview.append(h('div', { class: 'segview muted' }, key ? 'Loading the segment…' : 'Pick a segment on the left.'));
  document.title = 'Segments · custgraph';
  let list = [];
  try {
    list = await q.segments();
  } catch (e) {
    if (token !== viewToken) return;
    clear(side).append(h('div', { class: 'card empty-card' }, h('h2', {}, 'Segments unavailable'), h('p', {}, e.message || String(e))));
    showError(e, 'Could not list the segments');
    return;
  }
  if (token !== viewToken) return;
  const panel = renderSegmentList(list, key);
  clear(side).append(panel.el);
  side.dataset.state = 'ready';
  // Sizes one by one: a slow saved query must not hold up the list.
  (async () => {
    for (const g of list) {
      if (token !== viewToken) return;
      panel.setSize(g.key, await q.segmentCount(g.key).catch(() => null));
    }
  })();
  if (!key) return;
  try {
    const g = await q.segment(key);
    if (token !== viewToken) return;
    clear(mapview);
    if (!g) {
      mapview.append(h('div', { class: 'segview' }, h('h2', {}, 'Segment not found'), h('p', {}, `There is no segment “${key}”.`)));
      return;
    }
    document.title = `${g.name || g.key} · custgraph`;
    mapview.append(
      renderSegment(g, list, {
        onOverlap: (other) => q.overlap([g.key, other]).catch((e) => (showError(e, 'Could not compare the segments'), null)),
      }),
    );
    mapview.dataset.state = 'ready';
  } catch (e) {
    if (token !== viewToken) return;
    clear(mapview).append(h('div', { class: 'segview' }, h('h2', {}, 'Segment unavailable'), h('p', {}, e.message || String(e))));
    showError(e, 'Could not load the segment');
  }
}

function route() {
  hideError();
  delete side.dataset.state;
  delete mapview.dataset.state;
  if (location.hash === '#/segments') return showSegments(null);
  const m = /^#\/(customer|company|segment)\/(.+)$/.exec(location.hash);
  if (!m) return showHome();
  const id = decodeURIComponent(m[2]);
  if (m[1] === 'segment') return showSegments(id);
  return m[1] === 'customer' ? showCustomer(id) : showCompany(id);
}

window.addEventListener('hashchange', route);
route();
