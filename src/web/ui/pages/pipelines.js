// Pipelines, each with its definition as a graph, its parameters, its versions, and a form that starts it.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, enc, listAll } from '../lib/api.js';
import { subscribe } from '../lib/events.js';
import { formatTime, formatValue } from '../lib/format.js';
import { href, navigate } from '../lib/router.js';
import { Empty, ErrorNote, Loading, useCan, useLoad, usePages, useSlice } from '../components/common.js';
import { Graph } from '../components/graph.js';

export function Pipelines() {
  const list = usePages('/pipelines', 50);
  useEffect(() => subscribe((events) => {
    if (events.some((e) => e.kind === 'pipeline.version')) list.reload();
  }), [list.reload]);
  return html`<section>
    <div class="page-head"><h1>Pipelines</h1></div>
    <${ErrorNote} error=${list.error} />
    ${!list.data ? html`<${Loading} what="pipelines" />` : list.data.items.length === 0
      ? html`<${Empty}>No pipelines yet. Store one with <code>grove pipeline create FILE</code> or run one
          with <code>grove run FILE</code>.<//>`
      : html`<table class="list">
        <thead><tr><th>Pipeline</th><th>Description</th><th>Latest version</th><th>Updated</th><th></th></tr></thead>
        <tbody>${list.data.items.map((p) => html`<tr>
          <td><a href=${href(['pipelines', p.name])}><b>${p.name}</b></a></td>
          <td>${p.description}</td>
          <td>v${p.latest_version}</td>
          <td>${formatTime(p.updated_at)}</td>
          <td><a href=${href(['executions'], { pipeline: p.name })}>Executions</a></td>
        </tr>`)}</tbody></table>`}
    ${list.pager}
  </section>`;
}

// Nodes and edges of a definition graph (GET /pipelines/{name}/graph).
export function definitionGraph(graph) {
  const nodes = graph.steps.map((s) => ({ id: s.name, label: s.name, type: s.type,
    note: s.branch === 'template' ? 'for each item' : s.branch ? 'if ' + (s.branch === 'if' ? 'true' : 'false') : '' }));
  const edges = [];
  for (const s of graph.steps) for (const d of s.depends_on) edges.push([d, s.name]);
  return { nodes, edges };
}

function ParameterInput({ p, value, onChange }) {
  const id = 'param-' + p.name;
  const label = html`<label for=${id}>${p.name} <span class="muted small">${p.type}</span></label>`;
  let input;
  if (p.enum && p.enum.length) {
    input = html`<select id=${id} value=${value} onChange=${(e) => onChange(e.target.value)}>
      ${p.enum.map((v) => html`<option value=${String(v)}>${String(v)}</option>`)}</select>`;
  } else if (p.type === 'Boolean') {
    input = html`<select id=${id} value=${value} onChange=${(e) => onChange(e.target.value)}>
      <option value="true">true</option><option value="false">false</option></select>`;
  } else if (p.type === 'Integer' || p.type === 'Float') {
    input = html`<input id=${id} type="number" step=${p.type === 'Integer' ? '1' : 'any'} value=${value}
      required=${p.default === undefined} onInput=${(e) => onChange(e.target.value)} />`;
  } else {
    input = html`<input id=${id} type="text" value=${value} required=${p.default === undefined}
      onInput=${(e) => onChange(e.target.value)} />`;
  }
  return html`<div class="field">${label}${input}
    ${p.description && html`<p class="hint">${p.description}${p.default !== undefined
      ? html` <span class="muted">Default: ${formatValue(p.default)}</span>` : ''}</p>`}</div>`;
}

function typed(p, text) {
  if (p.type === 'Integer') return Number.parseInt(text, 10);
  if (p.type === 'Float') return Number(text);
  if (p.type === 'Boolean') return text === 'true';
  return text;
}

export function StartForm({ pipeline, parameters }) {
  const initial = Object.fromEntries(parameters.map((p) => [p.name, p.default === undefined ? '' : String(p.default)]));
  const [values, setValues] = useState(initial);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { pipeline, parameters: Object.fromEntries(parameters.map((p) => [p.name, typed(p, values[p.name])])) };
      const started = await api('/executions', { method: 'POST', body });
      navigate(href(['executions', started.id]));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return html`<form class="card start-form" onSubmit=${submit} aria-label="Start an execution">
    <h2>Start an execution</h2>
    ${parameters.length === 0 && html`<p class="muted">This pipeline has no parameters.</p>`}
    <div class="fields">
      ${parameters.map((p) => html`<${ParameterInput} p=${p} value=${values[p.name]}
        onChange=${(v) => setValues({ ...values, [p.name]: v })} />`)}
    </div>
    <${ErrorNote} error=${error} />
    <button type="submit" class="primary" disabled=${busy}>${busy ? 'Starting…' : 'Start execution'}</button>
  </form>`;
}

export function PipelinePage({ name, query }) {
  const version = query.get('version') || '';
  const can = useCan('operator');
  const graph = useLoad(() => api('/pipelines/' + enc(name) + '/graph' + (version ? '?version=' + version : '')), [name, version]);
  const versions = useLoad(() => listAll('/pipelines/' + enc(name) + '/versions', 1000), [name]);
  const g = graph.data && definitionGraph(graph.data);
  const versionPage = useSlice(versions.data ? [...versions.data].reverse() : [], 20);
  return html`<section>
    <div class="page-head">
      <h1>${name} ${graph.data && html`<span class="muted">v${graph.data.version}</span>`}</h1>
      <a href=${href(['executions'], { pipeline: name })}>Executions</a>
    </div>
    <${ErrorNote} error=${graph.error} />
    ${!graph.data ? html`<${Loading} what="the definition" />` : html`
      <div class="card"><${Graph} nodes=${g.nodes} edges=${g.edges} label=${'Steps of ' + name} /></div>
      <div class="columns">
        <div class="card">
          <h2>Parameters</h2>
          ${graph.data.parameters.length === 0 ? html`<p class="muted">None.</p>` : html`<table class="list">
            <thead><tr><th>Name</th><th>Type</th><th>Default</th><th>Allowed</th></tr></thead>
            <tbody>${graph.data.parameters.map((p) => html`<tr><td><b>${p.name}</b>
              ${p.description && html`<div class="muted small">${p.description}</div>`}</td><td>${p.type}</td>
              <td>${p.default === undefined ? html`<span class="muted">required</span>` : formatValue(p.default)}</td>
              <td>${p.enum ? p.enum.join(', ') : html`<span class="muted">any</span>`}</td></tr>`)}</tbody></table>`}
        </div>
        ${can && html`<${StartForm} pipeline=${name} parameters=${graph.data.parameters} />`}
      </div>`}
    <div class="card">
      <h2>Versions</h2>
      <${ErrorNote} error=${versions.error} />
      ${versions.data && html`<table class="list"><thead><tr><th>Version</th><th>Registered</th><th>Digest</th><th>From</th></tr></thead>
        <tbody>${versionPage.items.map((v) => html`<tr>
          <td><a href=${href(['pipelines', name], { version: v.version })}>v${v.version}</a></td>
          <td>${formatTime(v.created_at)}</td><td><code>${(v.digest || '').slice(0, 12)}</code></td>
          <td class="muted">${v.source_path || ''}</td></tr>`)}</tbody></table>${versionPage.pager}`}
    </div>
  </section>`;
}
