// A pipeline's steps as a graph: laid out by dagre, drawn as SVG, panned by dragging, zoomed with the wheel or
// the buttons, searched by name. Only a change of the nodes or edges lays it out again; a status change
// recolours a node.
import { html } from 'htm/preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import dagre from '@dagrejs/dagre';
import { statusKind } from './common.js';

const NODE_W = 200;
const NODE_H = 54;

function layout(nodes, edges) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 46, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  for (const [from, to] of edges) if (g.hasNode(from) && g.hasNode(to)) g.setEdge(from, to);
  dagre.layout(g);
  const positions = new Map();
  for (const n of nodes) {
    const p = g.node(n.id);
    positions.set(n.id, { x: p.x - NODE_W / 2, y: p.y - NODE_H / 2 });
  }
  const paths = g.edges().map((e) => ({ from: e.v, to: e.w, points: g.edge(e).points }));
  const { width = 0, height = 0 } = g.graph();
  return { positions, paths, width, height };
}

function pathOf(points) {
  return points.map((p, i) => (i ? 'L' : 'M') + p.x.toFixed(1) + ',' + p.y.toFixed(1)).join(' ');
}

function truncate(text, n) {
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}

// nodes: [{id, label, type, status, note}]; edges: [[from, to]].
export function Graph({ nodes, edges, selected, onSelect, label = 'Step graph' }) {
  const structure = nodes.map((n) => n.id).join('\n') + '\n' + edges.map((e) => e.join('>')).join('\n');
  const laid = useMemo(() => layout(nodes, edges), [structure]);
  const svg = useRef(null);
  const [view, setView] = useState({ x: 0, y: 0, k: 1 });
  const [query, setQuery] = useState('');
  const [matchIndex, setMatchIndex] = useState(0);
  const drag = useRef(null);

  const fit = () => {
    const box = svg.current ? svg.current.getBoundingClientRect() : { width: 800, height: 400 };
    const k = Math.min(1.2, Math.max(0.1, Math.min(box.width / (laid.width || 1), box.height / (laid.height || 1))));
    setView({ k, x: (box.width - laid.width * k) / 2, y: (box.height - laid.height * k) / 2 });
  };
  useEffect(fit, [laid]);

  const zoomAt = (factor, cx, cy) => setView((v) => {
    const k = Math.min(4, Math.max(0.05, v.k * factor));
    const f = k / v.k;
    return { k, x: cx - (cx - v.x) * f, y: cy - (cy - v.y) * f };
  });
  const onWheel = (e) => {
    e.preventDefault();
    const box = svg.current.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - box.left, e.clientY - box.top);
  };
  useEffect(() => {
    const el = svg.current;
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  });
  const onPointerDown = (e) => {
    if (e.target.closest('.node')) return;
    drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
    svg.current.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e) => {
    if (!drag.current) return;
    const d = drag.current;
    setView((v) => ({ ...v, x: d.vx + e.clientX - d.x, y: d.vy + e.clientY - d.y }));
  };
  const onPointerUp = () => { drag.current = null; };

  const matches = query
    ? nodes.filter((n) => n.label.toLowerCase().includes(query.toLowerCase())).map((n) => n.id) : [];
  const focus = (id) => {
    const p = laid.positions.get(id);
    if (!p || !svg.current) return;
    const box = svg.current.getBoundingClientRect();
    const k = Math.max(view.k, 0.8);
    setView({ k, x: box.width / 2 - (p.x + NODE_W / 2) * k, y: box.height / 2 - (p.y + NODE_H / 2) * k });
  };
  const onSearch = (e) => {
    e.preventDefault();
    if (!matches.length) return;
    const id = matches[matchIndex % matches.length];
    setMatchIndex(matchIndex + 1);
    focus(id);
    onSelect && onSelect(id);
  };
  const center = () => {
    const box = svg.current.getBoundingClientRect();
    return [box.width / 2, box.height / 2];
  };
  const matchSet = new Set(matches);

  return html`<div class="graph">
    <div class="graph-tools">
      <form onSubmit=${onSearch} class="graph-search" role="search">
        <label for="step-search" class="sr-only">Find a step</label>
        <input id="step-search" type="search" placeholder="Find a step…" value=${query}
          onInput=${(e) => { setQuery(e.target.value); setMatchIndex(0); }} />
        ${query && html`<span class="muted">${matches.length} found</span>`}
      </form>
      <button type="button" aria-label="Zoom in" onClick=${() => zoomAt(1.25, ...center())}>+</button>
      <button type="button" aria-label="Zoom out" onClick=${() => zoomAt(0.8, ...center())}>−</button>
      <button type="button" onClick=${fit}>Fit</button>
    </div>
    <svg ref=${svg} class="graph-canvas" role="group" aria-label=${label}
      onPointerDown=${onPointerDown} onPointerMove=${onPointerMove} onPointerUp=${onPointerUp}>
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
        orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow" /></marker></defs>
      <g transform="translate(${view.x},${view.y}) scale(${view.k})">
        ${laid.paths.map((p) => html`<path class="edge" d=${pathOf(p.points)} marker-end="url(#arrow)" />`)}
        ${nodes.map((n) => {
          const p = laid.positions.get(n.id);
          if (!p) return null;
          const kind = statusKind(n.status);
          const cls = 'node ' + kind + (selected === n.id ? ' selected' : '') + (matchSet.has(n.id) ? ' match' : '');
          const select = () => onSelect && onSelect(n.id);
          return html`<g class=${cls} transform="translate(${p.x},${p.y})" tabindex="0" role="button"
              data-step=${n.id} data-status=${n.status || 'NotStarted'}
              aria-label="${n.label}, ${n.type}, ${n.status || 'not started'}${n.note ? ', ' + n.note : ''}"
              onClick=${select} onKeyDown=${(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), select())}>
            <title>${n.label}${n.note ? ' — ' + n.note : ''}</title>
            <rect width=${NODE_W} height=${NODE_H} rx="8" />
            <rect class="stripe" width="6" height=${NODE_H} rx="3" />
            <text x="16" y="22" class="node-name">${truncate(n.label, 24)}</text>
            <text x="16" y="41" class="node-sub">${truncate(n.type + ' · ' + (n.note || n.status || 'Not started'), 30)}</text>
          </g>`;
        })}
      </g>
    </svg>
  </div>`;
}
