// The inference queue's predictions, browsable and filtered by dimension.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { formatTime, formatValue } from '../lib/format.js';
import { href, navigate } from '../lib/router.js';
import { Empty, ErrorNote, Loading, usePages } from '../components/common.js';

export function Predictions({ query }) {
  const dim = query.get('dim') || '';
  const [text, setText] = useState(dim);
  const list = usePages('/predictions' + (dim ? '?dim=' + encodeURIComponent(dim) : ''), 100);
  const items = list.data ? list.data.items : [];
  const columns = items.length ? Object.keys(items[0]).filter((k) => k !== 'features') : [];
  return html`<section>
    <div class="page-head"><h1>Predictions</h1></div>
    <form class="filter" onSubmit=${(e) => { e.preventDefault(); navigate(href(['predictions'], { dim: text.trim() })); }}>
      <label for="dim">Dimension</label>
      <input id="dim" type="search" value=${text} placeholder="All dimensions" onInput=${(e) => setText(e.target.value)} />
      <button type="submit">Filter</button>
    </form>
    <${ErrorNote} error=${list.error} />
    ${!list.data ? html`<${Loading} what="predictions" />` : items.length === 0
      ? html`<${Empty}>No predictions${dim ? ' for ' + dim : ''} yet. The inference queue writes them
          (<code>grove queue enqueue</code>, or a trigger with <code>queue:</code>).<//>`
      : html`<div class="scroll-x"><table class="list">
        <thead><tr>${columns.map((c) => html`<th>${c}</th>`)}<th>features</th></tr></thead>
        <tbody>${items.map((p) => html`<tr>${columns.map((c) => html`<td>${/_at$/.test(c) ? formatTime(p[c]) : formatValue(p[c])}</td>`)}
          <td class="features">${formatValue(p.features)}</td></tr>`)}</tbody></table></div>`}
    ${list.pager}
  </section>`;
}
