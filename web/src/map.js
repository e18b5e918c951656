// The relationship map: Cytoscape.js with the fcose layout, expand-on-click, kind filters and
// path highlighting. Node ids inside Cytoscape are "<Type>:<id>" so a customer and a company
// with the same id never collide.

import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { KINDS, kindGroup } from './queries.js';

cytoscape.use(fcose);

export const FONT_STACK =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

const KIND_COLORS = {
  employer: '#8a6d3b',
  colleague: '#b08d57',
  project: '#2e8b57',
  referral: '#7b4fc9',
  knows: '#2f6fb3',
  other: '#888',
};

const MAX_FIT_ZOOM = 1.4;

export const nodeKey = (type, id) => `${type}:${id}`;

function edgeKey(e) {
  const group = kindGroup(e.kind);
  // Undirected kinds collapse A-B and B-A into one edge.
  const directed = group === 'referral';
  const a = nodeKey(e.sourceType || 'Customer', e.source);
  const b = nodeKey(e.targetType || 'Customer', e.target);
  const [x, y] = directed || a < b ? [a, b] : [b, a];
  return `${String(e.kind).toUpperCase()}|${x}|${y}`;
}

function describe(props) {
  return Object.entries(props || {})
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? v.slice(0, 10) : v}`)
    .join(', ');
}

const STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-family': FONT_STACK,
      'font-size': 11,
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'ellipsis',
      'text-max-width': 120,
      color: '#222',
      'text-outline-color': '#fff',
      'text-outline-width': 2,
      width: 22,
      height: 22,
      'background-color': '#2f6fb3',
      'border-width': 0,
    },
  },
  { selector: 'node[type = "Company"]', style: { shape: 'round-rectangle', 'background-color': '#d98e04', width: 30, height: 22 } },
  { selector: 'node[type = "Project"]', style: { shape: 'diamond', 'background-color': '#2e8b57', width: 24, height: 24 } },
  { selector: 'node.root', style: { width: 34, height: 34, 'border-width': 3, 'border-color': '#111', 'font-weight': 'bold', 'font-size': 13 } },
  { selector: 'node.expanded', style: { 'border-width': 2, 'border-color': '#555', 'border-style': 'dashed' } },
  { selector: 'node:selected', style: { 'overlay-color': '#2f6fb3', 'overlay-opacity': 0.15, 'overlay-padding': 6 } },
  {
    selector: 'edge',
    style: {
      width: 1.6,
      'curve-style': 'bezier',
      'line-color': 'data(color)',
      'target-arrow-color': 'data(color)',
      'font-family': FONT_STACK,
      'font-size': 9,
      color: '#555',
      'text-rotation': 'autorotate',
      'text-outline-color': '#fff',
      'text-outline-width': 2,
      opacity: 0.85,
    },
  },
  { selector: 'edge[group = "referral"]', style: { 'target-arrow-shape': 'triangle', 'line-style': 'dashed' } },
  { selector: 'edge.hover', style: { label: 'data(label)' } },
  { selector: '.faded', style: { opacity: 0.18 } },
  { selector: 'node.path', style: { 'border-width': 4, 'border-color': '#e0282e', opacity: 1 } },
  {
    selector: 'edge.path',
    style: { width: 5, 'line-color': '#e0282e', 'target-arrow-color': '#e0282e', opacity: 1, 'z-index': 10, label: 'data(kindLabel)', color: '#e0282e' },
  },
  { selector: 'edge.pathlink', style: { 'line-style': 'dotted' } },
];

/**
 * createMap(container, {onSelect, onExpand, onStatus}) → controller.
 * onExpand(node) must resolve to a normalised network (or null) to merge in.
 */
export function createMap(container, { onSelect, onExpand, onStatus }) {
  const cy = cytoscape({
    container,
    style: STYLE,
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 3,
    boxSelectionEnabled: false,
  });
  const hidden = new Set(); // kind groups switched off
  let rootKey = null;
  let busy = 0;

  const setBusy = (d) => {
    busy += d;
    container.dataset.busy = busy > 0 ? 'true' : 'false';
  };
  setBusy(0);

  function status() {
    const visible = cy.nodes(':visible').length;
    container.dataset.nodes = String(cy.nodes().length);
    onStatus?.({ nodes: cy.nodes().length, visible, edges: cy.edges(':visible').length });
  }

  function addNetwork(net) {
    const added = [];
    for (const n of net.nodes) {
      const key = nodeKey(n.type, n.id);
      if (cy.getElementById(key).empty()) {
        added.push(cy.add({ group: 'nodes', data: { id: key, rawId: n.id, type: n.type, label: n.name || n.id } }));
      }
    }
    for (const e of net.edges) {
      const s = nodeKey(e.sourceType || 'Customer', e.source);
      const t = nodeKey(e.targetType || 'Customer', e.target);
      if (cy.getElementById(s).empty() || cy.getElementById(t).empty()) continue;
      const id = edgeKey(e);
      if (!cy.getElementById(id).empty()) continue;
      const group = kindGroup(e.kind);
      const label = [String(e.kind).toLowerCase().replace(/_/g, ' '), describe(e.props)].filter(Boolean).join(' · ');
      added.push(
        cy.add({
          group: 'edges',
          data: { id, source: s, target: t, kind: String(e.kind).toUpperCase(), group, color: KIND_COLORS[group], label, kindLabel: String(e.kind).toLowerCase().replace(/_/g, ' ') },
        }),
      );
    }
    return cy.collection(added);
  }

  function applyFilters() {
    cy.batch(() => {
      cy.edges().forEach((e) => {
        e.style('display', hidden.has(e.data('group')) && !e.hasClass('path') ? 'none' : 'element');
      });
      // A node stays visible while it is reachable from the root over visible edges.
      const root = rootKey ? cy.getElementById(rootKey) : cy.collection();
      const reach = new Set();
      if (root.nonempty()) {
        const queue = [root];
        reach.add(root.id());
        while (queue.length) {
          const n = queue.shift();
          n.connectedEdges().forEach((e) => {
            if (e.style('display') === 'none') return;
            const other = e.source().id() === n.id() ? e.target() : e.source();
            if (!reach.has(other.id())) {
              reach.add(other.id());
              queue.push(other);
            }
          });
        }
      }
      cy.nodes().forEach((n) => {
        const show = !rootKey || reach.has(n.id()) || n.hasClass('path');
        n.style('display', show ? 'element' : 'none');
      });
    });
    status();
  }

  function layout({ fit = true, animate = true } = {}) {
    const eles = cy.elements(':visible');
    if (eles.empty()) return Promise.resolve();
    return new Promise((resolve) => {
      const l = eles.layout({
        name: 'fcose',
        quality: 'default',
        randomize: cy.nodes().length < 3 || !animate,
        animate: animate && cy.nodes().length < 200,
        animationDuration: 350,
        fit: false,
        padding: 40,
        nodeRepulsion: 6000,
        idealEdgeLength: 90,
        nodeDimensionsIncludeLabels: true,
      });
      l.one('layoutstop', () => {
        if (fit) fitTo(cy.elements(':visible'), 40);
        resolve();
      });
      l.run();
    });
  }

  // Fit without zooming in further than MAX_FIT_ZOOM (two nodes would otherwise fill the screen).
  function fitTo(eles, padding) {
    if (eles.empty()) return;
    cy.fit(eles, padding);
    if (cy.zoom() > MAX_FIT_ZOOM) {
      cy.zoom(MAX_FIT_ZOOM);
      cy.center(eles);
    }
  }

  cy.on('mouseover', 'edge', (ev) => ev.target.addClass('hover'));
  cy.on('mouseout', 'edge', (ev) => ev.target.removeClass('hover'));

  cy.on('tap', 'node', async (ev) => {
    const node = ev.target;
    onSelect?.(node.data());
    if (node.hasClass('expanded')) return;
    setBusy(1);
    try {
      const net = await onExpand?.(node.data());
      if (net) {
        node.addClass('expanded');
        const added = addNetwork(net);
        applyFilters();
        if (added.nodes().nonempty()) {
          // Place new nodes around the clicked one, then let fcose tidy up without refitting.
          const p = node.position();
          added.nodes().forEach((n, i, all) => {
            const a = (2 * Math.PI * i) / all.length;
            n.position({ x: p.x + 80 * Math.cos(a), y: p.y + 80 * Math.sin(a) });
          });
          await layout({ fit: false, animate: true });
          const ext = cy.extent();
          const outside = cy.nodes(':visible').some((n) => {
            const { x, y } = n.position();
            return x < ext.x1 || x > ext.x2 || y < ext.y1 || y > ext.y2;
          });
          if (outside) fitTo(cy.elements(':visible'), 40);
        }
      }
    } finally {
      setBusy(-1);
      status();
    }
  });
  cy.on('tap', (ev) => {
    if (ev.target === cy) onSelect?.(null);
  });

  return {
    cy,
    /** Replace everything with this network centred on root {type, id}. */
    async show(net, root) {
      setBusy(1);
      try {
        cy.elements().remove();
        addNetwork(net);
        rootKey = root ? nodeKey(root.type, root.id) : null;
        if (rootKey) cy.getElementById(rootKey).addClass('root expanded');
        applyFilters();
        await layout({ fit: true, animate: false });
      } finally {
        setBusy(-1);
        status();
      }
    },
    setHidden(group, off) {
      if (off) hidden.add(group);
      else hidden.delete(group);
      applyFilters();
    },
    hiddenKinds: () => new Set(hidden),
    /** Highlight a path [{id, name, kind, props}] of customers; adds missing nodes and links. */
    async highlightPath(steps) {
      setBusy(1);
      try {
        this.clearPath();
        const nodes = steps.map((s) => ({ id: s.id, type: 'Customer', name: s.name }));
        const edges = [];
        for (let i = 1; i < steps.length; i++) {
          // Draw a link only where the map has none between the two customers yet.
          const a = cy.getElementById(nodeKey('Customer', steps[i - 1].id));
          const b = cy.getElementById(nodeKey('Customer', steps[i].id));
          if (a.nonempty() && b.nonempty() && a.edgesWith(b).nonempty()) continue;
          const kind = String(steps[i].kind || 'PATH').toUpperCase();
          const [source, target] = kind === 'REFERRED_BY' ? [steps[i].id, steps[i - 1].id] : [steps[i - 1].id, steps[i].id];
          edges.push({ source, target, kind: kind === 'REFERRED_BY' ? 'REFERRED' : kind, props: steps[i].props || {} });
        }
        const added = addNetwork({ nodes, edges });
        added.edges().addClass('pathlink');
        const keys = steps.map((s) => nodeKey('Customer', s.id));
        cy.batch(() => {
          keys.forEach((k) => cy.getElementById(k).addClass('path'));
          for (let i = 1; i < keys.length; i++) {
            const a = cy.getElementById(keys[i - 1]);
            const b = cy.getElementById(keys[i]);
            const kind = String(steps[i].kind || 'PATH').toUpperCase().replace('REFERRED_BY', 'REFERRED');
            let between = a.edgesWith(b).filter((e) => e.data('kind') === kind);
            if (between.empty()) between = a.edgesWith(b);
            between.first().addClass('path');
          }
          cy.elements().not('.path').addClass('faded');
        });
        applyFilters();
        if (added.nodes().nonempty()) await layout({ fit: false, animate: true });
        fitTo(cy.elements('.path'), 80);
      } finally {
        setBusy(-1);
      }
    },
    clearPath() {
      cy.elements().removeClass('path faded');
      cy.elements('.pathlink').remove();
      applyFilters();
    },
    fit() {
      fitTo(cy.elements(':visible'), 40);
    },
    relayout() {
      return layout({ fit: true, animate: true });
    },
    destroy() {
      cy.destroy();
    },
    legend() {
      return KINDS.map((k) => ({ ...k, color: KIND_COLORS[k.key] }));
    },
  };
}
