// The model registry: groups, their versions and approval state; a version's model quality (metrics, curves,
// confusion matrix or residuals), baselines and violations, lineage, and approve / reject with a comment.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, enc, listAll } from '../lib/api.js';
import { readSettled, subscribe } from '../lib/events.js';
import { formatNumber, formatTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { Empty, ErrorNote, Loading, Status, useCan, useLoad, usePages, useSlice } from '../components/common.js';
import { ArtifactLink } from '../components/artifact_link.js';
import { artifactDigest } from '../components/step_panel.js';
import { Chart } from '../components/chart.js';

// Reloads when an event about the registry or endpoints arrives.
function useRegistryEvents(reload, match = () => true, settle = false) {
  useEffect(() => subscribe((events) => {
    if (!events.some((e) => (e.kind.startsWith('model.') || e.kind.startsWith('endpoint.')) && match(e))) return;
    if (settle) readSettled(reload);
    else reload();
  }), [reload]);
}

export function Registry() {
  const list = usePages('/registry/groups', 50);
  useRegistryEvents(list.reload, (e) => e.kind === 'model.created');
  return html`<section>
    <div class="page-head"><h1>Model registry</h1></div>
    <${ErrorNote} error=${list.error} />
    ${!list.data ? html`<${Loading} what="model groups" />` : list.data.items.length === 0
      ? html`<${Empty}>No model groups yet. A pipeline's RegisterModel step creates them.<//>`
      : html`<table class="list"><thead><tr><th>Model group</th><th>Versions</th><th>Created</th><th>Description</th></tr></thead>
        <tbody>${list.data.items.map((g) => html`<tr><td><a href=${href(['registry', g.name])}><b>${g.name}</b></a></td>
          <td>${g.versions}</td><td>${formatTime(g.created_at)}</td><td>${g.description}</td></tr>`)}</tbody></table>`}
    ${list.pager}
  </section>`;
}

export function GroupPage({ group }) {
  const versions = useLoad(() => listAll('/registry/groups/' + enc(group) + '/versions', 5000), [group]);
  useRegistryEvents(versions.reload, (e) => e.subject.startsWith(group + '/') || e.kind.startsWith('endpoint.'));
  const page = useSlice(versions.data ? [...versions.data].reverse() : [], 50);
  return html`<section>
    <div class="page-head"><h1>${group}</h1><a href="#/registry">All groups</a></div>
    <${ErrorNote} error=${versions.error} />
    ${!versions.data ? html`<${Loading} what="versions" />` : html`<table class="list">
      <thead><tr><th>Version</th><th>Status</th><th>Registered</th><th>By pipeline</th><th>Comment</th></tr></thead>
      <tbody>${page.items.map((v) => html`<tr>
        <td><a href=${href(['registry', group, 'versions', String(v.version)])}><b>${group}/${v.version}</b></a></td>
        <td><${Status} status=${v.approval_status} /></td><td>${formatTime(v.created_at)}</td>
        <td>${v.execution_id && html`<a href=${href(['executions', v.execution_id])}>${(v.metadata || {}).pipeline || v.execution_id}</a>`}</td>
        <td>${v.approval_comment}</td></tr>`)}</tbody></table>`}
    ${page.pager}
  </section>`;
}

function ConfusionMatrix({ matrix }) {
  const cell = (actual, predicted) => ((matrix[actual] || {})[predicted] ?? 0);
  return html`<table class="confusion" aria-label="Confusion matrix">
    <thead><tr><th></th><th>Predicted 0</th><th>Predicted 1</th></tr></thead>
    <tbody>${['0', '1'].map((a) => html`<tr><th>Actual ${a}</th>
      ${['0', '1'].map((p) => html`<td class=${a === p ? 'hit' : 'miss'}>${cell(a, p).toLocaleString()}</td>`)}</tr>`)}</tbody>
  </table>`;
}

function curve(xs, ys) {
  return (xs || []).map((x, i) => [x, ys[i]]).filter(([x, y]) => typeof x === 'number' && typeof y === 'number');
}

export function Quality({ report }) {
  const regression = report.regression_metrics;
  const classification = report.binary_classification_metrics;
  const metrics = regression || classification || {};
  const scalar = Object.entries(metrics).filter(([, m]) => m && typeof m === 'object' && 'value' in m &&
                                                           typeof m.value !== 'object');
  const roc = classification && classification.receiver_operating_characteristic_curve;
  const pr = classification && classification.precision_recall_curve;
  const residuals = report.residuals;
  return html`<div>
    <table class="metrics"><tbody>${scalar.map(([k, m]) => html`<tr><th>${k}</th><td>${formatNumber(m.value)}</td>
      <td class="muted small">${m.standard_deviation !== 'NaN' && m.standard_deviation !== undefined
        ? '± ' + formatNumber(m.standard_deviation) : ''}</td></tr>`)}</tbody></table>
    <div class="charts">
      ${roc && html`<${Chart} unit title="ROC curve" xLabel="false positive rate" yLabel="true positive rate"
        series=${[{ label: 'TPR', points: curve(roc.false_positive_rates, roc.true_positive_rates) }]} />`}
      ${pr && html`<${Chart} unit title="Precision-recall curve" xLabel="recall" yLabel="precision"
        series=${[{ label: 'precision', points: curve(pr.recalls || pr.recall, pr.precisions || pr.precision) }]} />`}
      ${classification && classification.confusion_matrix && html`<figure><figcaption>Confusion matrix</figcaption>
        <${ConfusionMatrix} matrix=${classification.confusion_matrix} /></figure>`}
      ${residuals && residuals.histogram && html`<${Chart} kind="bars" title="Residuals (label − prediction)"
        xLabel="residual" yLabel="rows" edges=${residuals.histogram.edges} counts=${residuals.histogram.counts} />`}
      ${residuals && residuals.points && html`<${Chart} kind="points" title="Residual against prediction"
        xLabel="prediction" yLabel="residual" series=${[{ label: 'residual', points: residuals.points }]} />`}
    </div>
    ${regression && !residuals && html`<p class="muted small">This report has no residuals (it was written
      before Grove recorded them); run the pipeline again to see them.</p>`}
  </div>`;
}

function Decision({ group, version, status, onChanged }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const decide = async (what) => {
    setBusy(true);
    setError(null);
    try {
      await api('/registry/groups/' + enc(group) + '/versions/' + version + '/' + what,
                { method: 'POST', body: { comment } });
      setComment('');
      onChanged();
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };
  return html`<form class="card decision" onSubmit=${(e) => e.preventDefault()} aria-label="Approval">
    <h2>Approval</h2>
    <label for="comment">Comment</label>
    <textarea id="comment" rows="2" value=${comment} onInput=${(e) => setComment(e.target.value)}
      placeholder="Why (kept with the version)"></textarea>
    <div class="buttons">
      <button type="button" class="primary" disabled=${busy || status === 'Approved'} onClick=${() => decide('approve')}>Approve</button>
      <button type="button" class="danger" disabled=${busy || status === 'Rejected'} onClick=${() => decide('reject')}>Reject</button>
    </div>
    <${ErrorNote} error=${error} />
  </form>`;
}

function Serving({ group }) {
  const endpoints = useLoad(() => listAll('/endpoints', 1000), [group]);
  useRegistryEvents(endpoints.reload, (e) => e.kind.startsWith('endpoint.') || e.kind === 'model.approval', true);
  const serving = (endpoints.data || []).flatMap((e) => (e.models || []).filter((m) => m.name === group)
    .map((m) => ({ endpoint: e.name, ...m })));
  return html`<div class="card"><h2>Endpoints serving ${group}</h2>
    <${ErrorNote} error=${endpoints.error} />
    ${endpoints.data && (serving.length === 0 ? html`<p class="muted">No endpoint serves this group.</p>`
      : html`<table class="list"><thead><tr><th>Endpoint</th><th>Live version</th><th>State</th></tr></thead>
        <tbody>${serving.map((s) => html`<tr><td><a href=${href(['endpoints', s.endpoint])}>${s.endpoint}</a></td>
          <td class="live-version" data-endpoint=${s.endpoint}>${s.version ? group + '/' + s.version : '—'}${s.pinned ? ' (pinned)' : ''}</td>
          <td><${Status} status=${s.state} /></td></tr>`)}</tbody></table>`)}
  </div>`;
}

function Violations({ execution }) {
  const steps = useLoad(() => listAll('/executions/' + enc(execution) + '/steps'), [execution]);
  const checks = (steps.data || []).filter((s) => s.type === 'QualityCheck');
  if (!checks.length) return null;
  return html`<div class="card"><h2>Quality checks</h2>
    ${checks.map((c) => {
      const list = (c.metadata || {}).violations || [];
      return html`<h3>${c.step} <${Status} status=${c.status} label=${list.length ? list.length + ' violations' : c.status} /></h3>
        ${list.length > 0 && html`<table class="list"><thead><tr><th>Feature / metric</th><th>Check</th><th>Description</th></tr></thead>
          <tbody>${list.map((v) => html`<tr><td>${v.feature_name || v.metric_name}</td><td>${v.constraint_check_type}</td>
            <td>${v.description}</td></tr>`)}</tbody></table>`}`;
    })}</div>`;
}

function Lineage({ version }) {
  const model = useLoad(() => api('/artifacts/' + version.model), [version.model]);
  const producer = model.data && model.data.lineage.find((l) => l.role === 'output');
  const inputs = useLoad(async () => {
    if (!producer) return [];
    const steps = await listAll('/executions/' + enc(producer.execution_id) + '/steps');
    return steps;
  }, [producer && producer.execution_id]);
  const producedBy = inputs.data && producer && inputs.data.find((s) => s.step === producer.step);
  return html`<div class="card"><h2>Lineage</h2>
    <dl class="kv">
      <dt>Registered by</dt><dd><a href=${href(['executions', version.execution_id])}><code>${version.execution_id}</code></a>,
        ${" "}step ${version.step}</dd>
      ${producer && html`<dt>Model trained by</dt><dd>step <a href=${href(['executions', producer.execution_id], { step: producer.step })}>${producer.step}</a>
        ${' '}of <code>${producer.execution_id}</code></dd>`}
      <dt>Model</dt><dd><${ArtifactLink} digest=${version.model} name="model" /></dd>
      ${(version.metadata || {}).transform && html`<dt>Fitted transform</dt><dd><${ArtifactLink} digest=${version.metadata.transform} name="transform" /></dd>`}
      ${producedBy && Object.entries(producedBy.arguments || {}).filter(([, v]) => artifactDigest(v))
        .map(([k, v]) => html`<dt>Data: ${k}</dt><dd><${ArtifactLink} digest=${artifactDigest(v)} name=${k} /></dd>`)}
    </dl></div>`;
}

export function VersionPage({ group, version }) {
  const canApprove = useCan('approver');
  const v = useLoad(() => api('/registry/groups/' + enc(group) + '/versions/' + version), [group, version]);
  const report = useLoad(() => api('/registry/groups/' + enc(group) + '/versions/' + version + '/report')
    .then((r) => r.report).catch((e) => (e.status === 404 ? null : Promise.reject(e))), [group, version]);
  useRegistryEvents(v.reload, (e) => e.subject === group + '/' + version);
  const baselines = v.data ? Object.entries(v.data.metrics || {}).filter(([k]) => k !== 'model_quality') : [];
  return html`<section>
    <div class="page-head">
      <h1>${group}/${version}</h1>
      ${v.data && html`<${Status} status=${v.data.approval_status} />`}
      <a href=${href(['registry', group])}>All versions</a>
    </div>
    <${ErrorNote} error=${v.error} />
    ${!v.data ? html`<${Loading} />` : html`
      <p class="summary">Registered ${formatTime(v.data.created_at)}${v.data.approval_changed_by && html` · last decision by${' '}
        <b>${v.data.approval_changed_by}</b> ${formatTime(v.data.approval_changed_at)}`}
        ${v.data.approval_comment && html` · “${v.data.approval_comment}”`}</p>
      <div class="columns">
        <div class="card grow"><h2>Model quality</h2>
          <${ErrorNote} error=${report.error} />
          ${report.data ? html`<${Quality} report=${report.data} />` : report.loading ? html`<${Loading} />`
            : html`<p class="muted">No model-quality report was registered with this version.</p>`}
        </div>
        <div class="stack">
          ${canApprove && html`<${Decision} group=${group} version=${version} status=${v.data.approval_status} onChanged=${v.reload} />`}
          <${Serving} group=${group} />
        </div>
      </div>
      <div class="columns">
        <${Lineage} version=${v.data} />
        <div class="card"><h2>Baselines</h2>
          ${baselines.length === 0 ? html`<p class="muted">None attached.</p>` : html`<ul class="outputs">
            ${baselines.map(([k, d]) => html`<li><${ArtifactLink} digest=${d} name=${k} /></li>`)}</ul>`}
          ${v.data.metrics && v.data.metrics.model_quality && html`<p class="small">Report:
            <${ArtifactLink} digest=${v.data.metrics.model_quality} name="evaluation.json" /></p>`}
        </div>
      </div>
      ${v.data.execution_id && html`<${Violations} execution=${v.data.execution_id} />`}`}
  </section>`;
}
