// A tuning step's trials: the table, and the score plotted against a chosen hyperparameter.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { enc, listAll } from '../lib/api.js';
import { formatDuration, formatNumber, formatValue } from '../lib/format.js';
import { ErrorNote, Loading, Status, useLoad, useSlice } from '../components/common.js';
import { Chart } from '../components/chart.js';

export function TrialsView({ execution }) {
  const trials = useLoad(() => listAll('/executions/' + enc(execution) + '/trials'), [execution]);
  const [param, setParam] = useState('');
  const [family, setFamily] = useState('');
  const all = trials.data || [];
  const families = [...new Set(all.map((t) => t.family))];
  const shown = all.filter((t) => !family || t.family === family);
  const page = useSlice(shown, 50);
  const numeric = new Set();
  for (const t of shown) for (const [k, v] of Object.entries(t.hyperparameters || {})) if (typeof v === 'number') numeric.add(k);
  const params = [...numeric].sort();
  const chosen = params.includes(param) ? param : params[0] || '';
  const points = shown.filter((t) => t.status !== 'Failed' && typeof (t.hyperparameters || {})[chosen] === 'number')
    .map((t) => [t.hyperparameters[chosen], t.mean_score]);
  if (trials.error) return html`<${ErrorNote} error=${trials.error} />`;
  if (!trials.data) return html`<${Loading} what="trials" />`;
  return html`<div class="card">
    <div class="fleet-head">
      <h2>${all.length} trials</h2>
      <label>Family <select value=${family} onChange=${(e) => setFamily(e.target.value)}>
        <option value="">All</option>${families.map((f) => html`<option value=${f}>${f}</option>`)}</select></label>
      <label>Hyperparameter <select value=${chosen} onChange=${(e) => setParam(e.target.value)}>
        ${params.map((p) => html`<option value=${p}>${p}</option>`)}</select></label>
    </div>
    ${chosen && points.length > 0 && html`<${Chart} kind="points" xLabel=${chosen} yLabel="mean score"
      series=${[{ label: 'mean score', points }]} title=${'Score against ' + chosen} />`}
    <table class="list">
      <thead><tr><th>#</th><th>Step</th><th>Family</th><th>Score</th><th>Status</th><th>Time</th><th>Hyperparameters</th></tr></thead>
      <tbody>${page.items.map((t) => html`<tr class=${t.best ? 'best' : ''}>
        <td>${t.number}${t.best && html` <span class="badge ok">best</span>`}</td><td>${t.step}</td><td>${t.family}</td>
        <td>${formatNumber(t.mean_score)}</td><td><${Status} status=${t.status} />${t.error && html`<div class="reason">${t.error}</div>`}</td>
        <td>${formatDuration(t.duration_ms)}</td>
        <td class="params">${Object.entries(t.hyperparameters || {}).map(([k, v]) => html`<span class="param"><b>${k}</b>=${formatValue(v)}</span>`)}</td>
      </tr>`)}</tbody>
    </table>
    ${page.pager}
  </div>`;
}
