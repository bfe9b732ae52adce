// Every execution, newest first, with status, duration and parameters; rows change as events arrive.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { subscribe } from '../lib/events.js';
import { elapsed, formatDuration, formatTime, formatValue } from '../lib/format.js';
import { href, navigate } from '../lib/router.js';
import { Empty, ErrorNote, Loading, Status, usePages } from '../components/common.js';

export function ParameterList({ parameters }) {
  const entries = Object.entries(parameters || {});
  if (!entries.length) return html`<span class="muted">—</span>`;
  return html`<span class="params">${entries.map(([k, v]) => html`<span class="param"><b>${k}</b>=${formatValue(v)}</span>`)}</span>`;
}

export function Executions({ query }) {
  const pipeline = query.get('pipeline') || '';
  const path = '/executions' + (pipeline ? '?pipeline=' + encodeURIComponent(pipeline) : '');
  const list = usePages(path, 50);
  const [, tick] = useState(0);
  useEffect(() => subscribe((events) => {
    let reload = false;
    const changes = new Map();
    for (const e of events) {
      if (e.kind === 'execution.created' && (!pipeline || e.payload.pipeline === pipeline)) reload = true;
      if (e.kind === 'execution.status') changes.set(e.subject, e);
    }
    if (reload && list.firstPage) list.reload();
    else if (changes.size) {
      list.setData((d) => d && {
        ...d,
        items: d.items.map((x) => {
          const e = changes.get(x.id);
          if (!e) return x;
          const ended = ['Succeeded', 'Failed', 'Stopped'].includes(e.payload.status);
          return { ...x, status: e.payload.status, failure_reason: e.payload.failure_reason || x.failure_reason,
                   ended_at: ended ? e.at : x.ended_at };
        }),
      });
    }
  }), [list.reload, list.firstPage, pipeline]);
  // Running durations count up.
  useEffect(() => {
    const running = list.data && list.data.items.some((x) => x.status === 'Executing');
    if (!running) return undefined;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [list.data]);

  // The first meaningful paint of the console's home page (bench/console_bench.mjs measures it).
  useEffect(() => {
    if (list.data && !performance.getEntriesByName('grove:executions').length) performance.mark('grove:executions');
  }, [list.data]);
  return html`<section>
    <div class="page-head">
      <h1>Executions${pipeline && html` <span class="muted">of ${pipeline}</span>`}</h1>
      ${pipeline && html`<a href="#/executions">All pipelines</a>`}
    </div>
    <${ErrorNote} error=${list.error} />
    ${!list.data && list.loading ? html`<${Loading} what="executions" />` : list.data && (list.data.items.length === 0
      ? html`<${Empty}>No executions yet. Start one from a <a href="#/pipelines">pipeline</a>, or with
          <code>grove run</code>.<//>`
      : html`<table class="list">
        <thead><tr><th>Execution</th><th>Pipeline</th><th>Status</th><th>Started</th><th>Duration</th><th>Parameters</th></tr></thead>
        <tbody>${list.data.items.map((x) => html`<tr class="clickable" onClick=${(e) => e.target.tagName !== 'A' && navigate(href(['executions', x.id]))}>
          <td><a href=${href(['executions', x.id])}><code>${x.id}</code></a></td>
          <td><a href=${href(['pipelines', x.pipeline])}>${x.pipeline}</a> <span class="muted">v${x.version}</span></td>
          <td><${Status} status=${x.status} />${x.failure_reason && html`<div class="reason" title=${x.failure_reason}>${x.failure_reason}</div>`}</td>
          <td class="nowrap">${formatTime(x.started_at)}</td>
          <td class="nowrap">${formatDuration(x.duration_ms ?? elapsed(x.started_at, x.ended_at))}</td>
          <td><${ParameterList} parameters=${x.parameters} /></td>
        </tr>`)}</tbody>
      </table>`)}
    ${list.pager}
  </section>`;
}
