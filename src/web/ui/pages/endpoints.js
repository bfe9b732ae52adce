// Endpoints: each model's live version and load state, request rate and latency. What an endpoint serves
// changes with events (approvals, deploys); its traffic counters are not events, so an endpoint's page reads
// them again every 5 seconds while it is open, and the rate is the difference between two readings.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';
import { readSettled, subscribe } from '../lib/events.js';
import { formatNumber, formatTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { Empty, ErrorNote, Loading, Status, useLoad, usePages } from '../components/common.js';

function useEndpointEvents(reload, name) {
  useEffect(() => subscribe((events) => {
    if (events.some((e) => e.kind.startsWith('endpoint.') || e.kind === 'model.approval' ||
                           (name && e.subject === name))) readSettled(reload);
  }), [reload]);
}

export function Endpoints() {
  const list = usePages('/endpoints', 50);
  useEndpointEvents(list.reload);
  return html`<section>
    <div class="page-head"><h1>Endpoints</h1></div>
    <${ErrorNote} error=${list.error} />
    ${!list.data ? html`<${Loading} what="endpoints" />` : list.data.items.length === 0
      ? html`<${Empty}>No endpoints yet. Create one with <code>grove endpoint create NAME --follow 'GROUP'</code>.<//>`
      : html`<table class="list"><thead><tr><th>Endpoint</th><th>Status</th><th>Models</th><th>Follows</th></tr></thead>
        <tbody>${list.data.items.map((e) => html`<tr><td><a href=${href(['endpoints', e.name])}><b>${e.name}</b></a>
          ${e.multi_model && html` <span class="badge idle">multi-model</span>`}</td>
          <td><${Status} status=${e.status} /></td>
          <td>${(e.models || []).map((m) => html`<span class="param">${m.name}/${m.version || '—'}</span>`)}</td>
          <td class="muted">${(e.follow || []).join(', ')}</td></tr>`)}</tbody></table>`}
    ${list.pager}
  </section>`;
}

export function EndpointPage({ name }) {
  const endpoint = useLoad(() => api('/endpoints/' + enc(name)), [name]);
  const previous = useRef(null);
  const [rates, setRates] = useState({});
  useEndpointEvents(endpoint.reload, name);
  useEffect(() => {
    const timer = setInterval(() => !document.hidden && endpoint.reload(), 5000);
    return () => clearInterval(timer);
  }, [endpoint.reload]);
  useEffect(() => {
    if (!endpoint.data) return;
    const now = Date.now();
    const counts = Object.fromEntries((endpoint.data.models || []).map((m) => [m.name + '/' + m.version, m.requests || 0]));
    if (previous.current) {
      const seconds = (now - previous.current.at) / 1000;
      const next = {};
      for (const [k, n] of Object.entries(counts)) {
        if (k in previous.current.counts && seconds > 0) next[k] = Math.max(0, n - previous.current.counts[k]) / seconds;
      }
      setRates(next);
    }
    previous.current = { at: now, counts };
  }, [endpoint.data]);
  const e = endpoint.data;
  return html`<section>
    <div class="page-head"><h1>${name}</h1>${e && html`<${Status} status=${e.status} />`}<a href="#/endpoints">All endpoints</a></div>
    <${ErrorNote} error=${endpoint.error} />
    ${!e ? html`<${Loading} />` : html`
      <p class="summary">${e.multi_model ? 'Multi-model endpoint' : 'Single-model endpoint'}
        ${e.follow && e.follow.length > 0 && html` · follows ${e.follow.join(', ')}`}
        ${e.capture_percent > 0 && html` · captures ${e.capture_percent}% of requests`}</p>
      <div class="card"><h2>Models</h2>
        ${(e.models || []).length === 0 ? html`<p class="muted">Nothing approved to serve yet.</p>` : html`<table class="list">
          <thead><tr><th>Model group</th><th>Live version</th><th>Load state</th><th>Requests</th><th>Rate</th><th>Mean latency</th><th>Approved versions</th></tr></thead>
          <tbody>${e.models.map((m) => {
            const key = m.name + '/' + m.version;
            return html`<tr>
              <td><a href=${href(['registry', m.name])}>${m.name}</a></td>
              <td class="live-version">${m.version ? html`<a href=${href(['registry', m.name, 'versions', String(m.version)])}>${key}</a>` : '—'}
                ${m.pinned && html` <span class="badge idle">pinned</span>`}</td>
              <td><${Status} status=${m.state} />${m.error && html`<div class="reason">${m.error}</div>`}</td>
              <td>${formatNumber(m.requests ?? 0)}</td>
              <td>${key in rates ? formatNumber(Math.round(rates[key] * 10) / 10) + ' /s' : html`<span class="muted">measuring…</span>`}</td>
              <td>${m.mean_latency_ms ? formatNumber(m.mean_latency_ms) + ' ms' : '—'}</td>
              <td class="muted">${(m.approved_versions || []).join(', ')}</td></tr>`;
          })}</tbody></table>`}
      </div>
      ${(e.promotions || []).length > 0 && html`<div class="card"><h2>Promotions</h2><table class="list">
        <thead><tr><th>When</th><th>From</th><th>To</th><th>Models</th><th>By</th><th>Comment</th></tr></thead>
        <tbody>${e.promotions.map((p) => html`<tr><td>${formatTime(p.at)}</td><td>${p.source}</td><td>${p.target}</td>
          <td>${(p.models || []).join(', ')}</td><td>${p.by}</td><td>${p.comment}</td></tr>`)}</tbody></table></div>`}`}
  </section>`;
}
