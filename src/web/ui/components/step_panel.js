// One step run: resolved arguments, outputs to download, metadata, the log (live while it runs), its failure
// and, for a cache hit, the execution whose outputs it reused.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { elapsed, formatDuration, formatTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { KeyValues, Status, Tabs } from './common.js';
import { ArtifactLink } from './artifact_link.js';
import { LogView } from './log_view.js';

// The digest of an artifact reference in resolved arguments ("artifact:sha256:<digest>"), or null.
export function artifactDigest(value) {
  const match = typeof value === 'string' && /^artifact:sha256:([0-9a-f]{64})$/.exec(value);
  return match ? match[1] : null;
}

// Arguments with artifact references shown as downloads.
function ArgumentValue({ name, value }) {
  const digest = artifactDigest(value);
  if (digest) return html`<${ArtifactLink} digest=${digest} name=${name} />`;
  if (value !== null && typeof value === 'object') return html`<pre>${JSON.stringify(value, null, 2)}</pre>`;
  return html`<span>${String(value)}</span>`;
}

export function StepPanel({ execution, run, name, onClose }) {
  const [tab, setTab] = useState('overview');
  if (!run) {
    return html`<aside class="panel" aria-label=${'Step ' + name}>
      <div class="panel-head"><h2>${name}</h2><button type="button" class="link" onClick=${onClose} aria-label="Close">✕</button></div>
      <p class="muted">This step has not started${name.includes('[') ? '' : ' in this execution'}.</p></aside>`;
  }
  const running = run.status === 'Executing' || run.status === 'Starting' || run.status === 'Stopping';
  const args = run.arguments || {};
  return html`<aside class="panel" aria-label=${'Step ' + run.step}>
    <div class="panel-head">
      <h2>${run.step}</h2>
      <button type="button" class="link" onClick=${onClose} aria-label="Close step details">✕</button>
    </div>
    <p><${Status} status=${run.status} /> <span class="muted">${run.type}</span>
      ${run.attempts > 1 && html` <span class="muted">· attempt ${run.attempts}</span>`}</p>
    <p class="muted small">Started ${formatTime(run.started_at)} · ${formatDuration(run.duration_ms ?? elapsed(run.started_at, run.ended_at))}</p>
    ${run.failure_reason && html`<div class="failure" role="alert"><b>Failure reason</b><p>${run.failure_reason}</p></div>`}
    ${run.cache_hit && html`<div class="note">Cached: these outputs were reused from execution${' '}
      <a href=${href(['executions', run.cache_hit_source])}><code>${run.cache_hit_source}</code></a>.</div>`}
    <${Tabs} current=${tab} onSelect=${setTab}
      tabs=${[['overview', 'Inputs & outputs'], ['metadata', 'Metadata'], ['log', 'Log']]} />
    ${tab === 'overview' && html`<div>
      <h3>Arguments</h3>
      ${Object.keys(args).length === 0 ? html`<p class="muted">None recorded.</p>` : html`<dl class="kv">
        ${Object.entries(args).map(([k, v]) => html`<dt>${k}</dt><dd><${ArgumentValue} name=${k} value=${v} /></dd>`)}</dl>`}
      <h3>Outputs</h3>
      ${Object.keys(run.outputs || {}).length === 0 ? html`<p class="muted">None${running ? ' yet' : ''}.</p>`
        : html`<ul class="outputs">${Object.entries(run.outputs).map(([k, d]) => html`<li>
            <${ArtifactLink} digest=${d} name=${k} /></li>`)}</ul>`}
    </div>`}
    ${tab === 'metadata' && html`<${KeyValues} value=${run.metadata} />`}
    ${tab === 'log' && html`<${LogView} execution=${execution} step=${run.step} running=${running} />`}
  </aside>`;
}
