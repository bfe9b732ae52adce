// Small pieces every page uses: status badges, errors said where they happened, loading states, pagers.
import { html } from 'htm/preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { listPage } from '../lib/api.js';

// {identity, role}; role decides which actions a page offers.
export const Session = createContext({ identity: '', role: 'viewer' });
const ranks = { viewer: 0, operator: 1, approver: 2, admin: 3 };
export function useCan(role) {
  const session = useContext(Session);
  return (ranks[session.role] ?? 0) >= ranks[role];
}

const statusClass = {
  Succeeded: 'ok', Approved: 'ok', InService: 'ok', Loaded: 'ok', Completed: 'ok', done: 'ok',
  Failed: 'bad', Rejected: 'bad', dead: 'bad', Stopped: 'bad',
  Executing: 'run', Starting: 'run', Stopping: 'run', Creating: 'run', queued: 'run',
  PendingManualApproval: 'wait', Pending: 'wait', NotLoaded: 'idle', NoModels: 'idle', Skipped: 'idle', NotTaken: 'idle',
};

export function statusKind(status) {
  return statusClass[status] || 'idle';
}

export function Status({ status, label }) {
  const text = label || (status === 'PendingManualApproval' ? 'Pending approval' : status || 'Not started');
  return html`<span class="badge ${statusKind(status)}">${text}</span>`;
}

export function ErrorNote({ error }) {
  if (!error) return null;
  return html`<p class="error" role="alert">${error.message || String(error)}</p>`;
}

export function Loading({ what = '' }) {
  return html`<p class="muted loading">Loading${what ? ' ' + what : ''}…</p>`;
}

// Runs `load` when `deps` change; returns {data, error, loading, reload, setData}.
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    Promise.resolve()
      .then(load)
      .then((data) => mine === generation.current && setState({ data, error: null, loading: false }))
      .catch((error) => mine === generation.current && setState((s) => ({ ...s, error, loading: false })));
  }, deps);
  useEffect(reload, [reload]);
  const setData = (f) => setState((s) => ({ ...s, data: typeof f === 'function' ? f(s.data) : f }));
  return { ...state, reload, setData };
}

// A paginated list (docs/api.md "Pagination"): Newer/Older buttons over next_page_token.
export function usePages(path, limit = 50) {
  // The page tokens seen so far, for this path only: another path starts at its first page.
  const [state, setState] = useState({ path, tokens: [''] });
  const tokens = state.path === path ? state.tokens : [''];
  const setTokens = (next) => setState({ path, tokens: next });
  const page = tokens.length - 1;
  const result = useLoad(() => listPage(path, tokens[page], limit), [path, tokens.join('\n')]);
  const pager = html`<${Pager}
    page=${page}
    hasNext=${!!(result.data && result.data.next_page_token)}
    onPrev=${() => setTokens(tokens.slice(0, -1))}
    onNext=${() => setTokens([...tokens, result.data.next_page_token])}
  />`;
  return { ...result, pager, firstPage: page === 0 };
}

export function Pager({ page, hasNext, onPrev, onNext }) {
  if (page === 0 && !hasNext) return null;
  return html`<nav class="pager" aria-label="Pages">
    <button type="button" disabled=${page === 0} onClick=${onPrev}>← Previous</button>
    <span class="muted">Page ${page + 1}</span>
    <button type="button" disabled=${!hasNext} onClick=${onNext}>Next →</button>
  </nav>`;
}

// A client-side pager over an array already loaded.
export function useSlice(items, size = 50) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(page, pages - 1);
  useEffect(() => setPage(0), [items.length]);
  return {
    items: items.slice(current * size, current * size + size),
    pager: html`<${Pager} page=${current} hasNext=${current < pages - 1}
      onPrev=${() => setPage(current - 1)} onNext=${() => setPage(current + 1)} />`,
  };
}

export function Empty({ children }) {
  return html`<p class="empty">${children}</p>`;
}

export function Tabs({ tabs, current, onSelect }) {
  return html`<div class="tabs" role="tablist">
    ${tabs.map(([id, label]) => html`<button type="button" role="tab" aria-selected=${current === id}
      class=${current === id ? 'tab active' : 'tab'} onClick=${() => onSelect(id)}>${label}</button>`)}
  </div>`;
}

// Key-value rows for an object (metadata, arguments).
export function KeyValues({ value }) {
  if (!value || typeof value !== 'object' || Object.keys(value).length === 0) return html`<p class="muted">None.</p>`;
  return html`<dl class="kv">
    ${Object.entries(value).map(([k, v]) => html`<dt>${k}</dt><dd>${typeof v === 'object' && v !== null
      ? html`<pre>${JSON.stringify(v, null, 2)}</pre>` : String(v)}</dd>`)}
  </dl>`;
}
