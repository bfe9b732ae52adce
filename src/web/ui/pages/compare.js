// Experiments: executions of one pipeline side by side (parameters, step metrics), and a metric charted
// across them.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, enc, listAll, listPage } from '../lib/api.js';
import { elapsed, formatDuration, formatTime, formatValue } from '../lib/format.js';
import { href, navigate } from '../lib/router.js';
import { Empty, ErrorNote, Loading, Status, useLoad } from '../components/common.js';
import { Chart } from '../components/chart.js';

// "AbaloneEval.mse" -> value, from each step's metadata.metrics and metadata.final_metrics.
function metricsOf(steps) {
  const out = {};
  for (const s of steps) {
    const m = s.metadata || {};
    for (const key of ['metrics', 'final_metrics']) {
      for (const [name, value] of Object.entries(m[key] || {})) {
        if (typeof value === 'number') out[s.step + '.' + name] = value;
      }
    }
  }
  return out;
}

export function Compare({ query }) {
  const pipelines = useLoad(() => listAll('/pipelines', 1000), []);
  const ids = (query.get('ids') || '').split(',').filter(Boolean);
  const pipeline = query.get('pipeline') || (pipelines.data && pipelines.data[0] && pipelines.data[0].name) || '';
  const [metric, setMetric] = useState('');
  const candidates = useLoad(() => (pipeline ? listPage('/executions?pipeline=' + enc(pipeline), '', 100)
    .then((p) => p.items) : []), [pipeline]);
  const chosen = useLoad(() => Promise.all(ids.map(async (id) => {
    const execution = await api('/executions/' + enc(id));
    const steps = await listAll('/executions/' + enc(id) + '/steps');
    return { ...execution, metrics: metricsOf(steps) };
  })), [ids.join(',')]);
  const go = (changes) => {
    const next = { pipeline, ids: ids.join(','), ...changes };
    navigate(href(['compare'], next));
  };
  const toggle = (id) => go({ ids: (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]).join(',') });

  const rows = chosen.data || [];
  const paramNames = [...new Set(rows.flatMap((r) => Object.keys(r.parameters || {})))].sort();
  const metricNames = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort();
  const current = metricNames.includes(metric) ? metric : metricNames[0] || '';
  const differs = (get) => new Set(rows.map((r) => JSON.stringify(get(r)))).size > 1;
  const series = current ? [{ label: current, points: rows.map((r, i) => [i + 1, r.metrics[current]])
    .filter(([, v]) => typeof v === 'number') }] : [];

  return html`<section>
    <div class="page-head"><h1>Experiments</h1></div>
    <div class="columns">
      <div class="card">
        <h2>Choose executions</h2>
        <label for="compare-pipeline">Pipeline</label>
        <select id="compare-pipeline" value=${pipeline} onChange=${(e) => go({ pipeline: e.target.value, ids: '' })}>
          ${(pipelines.data || []).map((p) => html`<option value=${p.name}>${p.name}</option>`)}</select>
        <${ErrorNote} error=${candidates.error} />
        ${candidates.data && (candidates.data.length === 0 ? html`<p class="muted">No executions of ${pipeline}.</p>`
          : html`<ul class="choices">${candidates.data.map((x) => html`<li><label>
            <input type="checkbox" checked=${ids.includes(x.id)} onChange=${() => toggle(x.id)} />
            <code>${x.id}</code> <${Status} status=${x.status} /> <span class="muted small">${formatTime(x.started_at)}</span>
          </label></li>`)}</ul>`)}
      </div>
      <div class="card grow">
        <h2>Side by side</h2>
        <${ErrorNote} error=${chosen.error} />
        ${ids.length < 2 && html`<${Empty}>Choose two or more executions to compare them.<//>`}
        ${ids.length > 0 && !chosen.data && html`<${Loading} />`}
        ${rows.length > 0 && html`<div class="scroll-x"><table class="list compare">
          <thead><tr><th></th>${rows.map((r) => html`<th><a href=${href(['executions', r.id])}><code>${r.id}</code></a></th>`)}</tr></thead>
          <tbody>
            <tr><th>Status</th>${rows.map((r) => html`<td><${Status} status=${r.status} /></td>`)}</tr>
            <tr><th>Duration</th>${rows.map((r) => html`<td>${formatDuration(r.duration_ms ?? elapsed(r.started_at, r.ended_at))}</td>`)}</tr>
            <tr class="section"><th colspan=${rows.length + 1}>Parameters</th></tr>
            ${paramNames.map((p) => html`<tr class=${differs((r) => (r.parameters || {})[p]) ? 'differs' : ''}><th>${p}</th>
              ${rows.map((r) => html`<td>${formatValue((r.parameters || {})[p])}</td>`)}</tr>`)}
            <tr class="section"><th colspan=${rows.length + 1}>Metrics</th></tr>
            ${metricNames.map((m) => html`<tr class=${differs((r) => r.metrics[m]) ? 'differs' : ''}><th>${m}</th>
              ${rows.map((r) => html`<td>${formatValue(r.metrics[m])}</td>`)}</tr>`)}
          </tbody></table></div>`}
        ${metricNames.length > 0 && rows.length > 1 && html`<div class="chart-head">
            <label for="compare-metric">Chart</label>
            <select id="compare-metric" value=${current} onChange=${(e) => setMetric(e.target.value)}>
              ${metricNames.map((m) => html`<option value=${m}>${m}</option>`)}</select></div>
          <${Chart} kind="line" xLabel="execution" yLabel=${current} series=${series} title=${current + ' across executions'}
            xValues=${(v) => (Number.isInteger(v) && rows[v - 1] ? rows[v - 1].id : '')} />`}
      </div>
    </div>
  </section>`;
}
