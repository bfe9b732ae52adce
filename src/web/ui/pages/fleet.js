// A fleet execution's items at a glance: one tile per item, coloured by the state of its steps, readable at
// 1,000 items; a filter; the failed items with their reasons.
import { html } from 'htm/preact';
import { useMemo, useState } from 'preact/hooks';
import { statusKind, Status, useSlice } from '../components/common.js';
import { href } from '../lib/router.js';

// "Train[berlin]" -> {base: "Train", item: "berlin"} (the executor's item step names).
export function splitItem(step) {
  const open = step.indexOf('[');
  if (open <= 0 || !step.endsWith(']')) return null;
  return { base: step.slice(0, open), item: step.slice(open + 1, -1) };
}

function itemStatus(steps) {
  if (steps.some((s) => s.status === 'Failed')) return 'Failed';
  if (steps.some((s) => s.status === 'Executing' || s.status === 'Starting')) return 'Executing';
  if (steps.every((s) => s.status === 'Succeeded' || s.status === 'Skipped')) return 'Succeeded';
  return steps[0] ? steps[0].status : 'Pending';
}

// The item step runs grouped by their item ("item") or by their template step ("base").
export function groupItemRuns(runs, key) {
  const groups = new Map();
  for (const run of runs.values()) {
    const split = splitItem(run.step);
    if (!split) continue;
    if (!groups.has(split[key])) groups.set(split[key], []);
    groups.get(split[key]).push(run);
  }
  return groups;
}

export function fleetItems(runs) {
  return [...groupItemRuns(runs, 'item').entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([item, steps]) => {
      const failed = steps.find((s) => s.status === 'Failed');
      return { item, steps, status: itemStatus(steps), failedStep: failed ? failed.step : '',
               reason: failed ? failed.failure_reason || '' : '' };
    });
}

export function FleetView({ runs, onSelect }) {
  const items = useMemo(() => fleetItems(runs), [runs]);
  const [filter, setFilter] = useState('');
  const [only, setOnly] = useState('');
  const counts = {};
  for (const i of items) counts[i.status] = (counts[i.status] || 0) + 1;
  const shown = items.filter((i) => (!filter || i.item.toLowerCase().includes(filter.toLowerCase())) &&
                                    (!only || i.status === only));
  const page = useSlice(shown, 50);
  const firstStep = (i) => (i.failedStep || i.steps[i.steps.length - 1].step);
  return html`<div class="card fleet">
    <div class="fleet-head">
      <h2>${items.length} items</h2>
      <div class="legend" role="group" aria-label="Show items by status">
        <button type="button" class=${only ? '' : 'active'} onClick=${() => setOnly('')}>All</button>
        ${Object.entries(counts).map(([st, n]) => html`<button type="button" class=${only === st ? 'active' : ''}
          onClick=${() => setOnly(only === st ? '' : st)}><span class="dot ${statusKind(st)}"></span>${st} ${n}</button>`)}
      </div>
      <label class="sr-only" for="item-filter">Filter items</label>
      <input id="item-filter" type="search" placeholder="Filter items…" value=${filter}
        onInput=${(e) => setFilter(e.target.value)} />
    </div>
    <div class="tiles" role="list" aria-label="Items">
      ${shown.map((i) => html`<button type="button" role="listitem" class="tile ${statusKind(i.status)}"
        title="${i.item}: ${i.status}${i.reason ? ' — ' + i.reason : ''}" aria-label="${i.item}, ${i.status}"
        onClick=${() => onSelect(firstStep(i))}></button>`)}
    </div>
    <table class="list">
      <thead><tr><th>Item</th><th>Status</th><th>Steps</th><th>Failure</th><th></th></tr></thead>
      <tbody>${page.items.map((i) => html`<tr>
        <td><button type="button" class="link" onClick=${() => onSelect(firstStep(i))}>${i.item}</button></td>
        <td><${Status} status=${i.status} /></td>
        <td>${i.steps.filter((s) => s.status === 'Succeeded').length}/${i.steps.length}</td>
        <td class="reason" title=${i.reason}>${i.failedStep && html`<b>${splitItem(i.failedStep).base}</b>: ${i.reason}`}</td>
        <td><a href=${href(['predictions'], { dim: i.item })}>Predictions</a></td></tr>`)}</tbody>
    </table>
    ${page.pager}
  </div>`;
}
