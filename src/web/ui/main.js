// Grove's web console: one page, hash routes, the REST API and its event stream.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, onUnauthenticated, setAccessKey } from './lib/api.js';
import { onConnection, startEvents } from './lib/events.js';
import { href, useRoute } from './lib/router.js';
import { ErrorNote, Session } from './components/common.js';
import { Pipelines, PipelinePage } from './pages/pipelines.js';
import { Executions } from './pages/executions.js';
import { ExecutionPage } from './pages/execution.js';
import { Registry, GroupPage, VersionPage } from './pages/registry.js';
import { Endpoints, EndpointPage } from './pages/endpoints.js';
import { Compare } from './pages/compare.js';
import { Predictions } from './pages/predictions.js';

const sections = [
  ['executions', 'Executions'],
  ['pipelines', 'Pipelines'],
  ['registry', 'Model registry'],
  ['endpoints', 'Endpoints'],
  ['compare', 'Experiments'],
  ['predictions', 'Predictions'],
];

function Page({ route }) {
  const [section = 'executions', a, b, c] = route.parts;
  const q = route.query;
  if (section === 'pipelines') return a ? html`<${PipelinePage} name=${a} query=${q} />` : html`<${Pipelines} />`;
  if (section === 'executions') return a ? html`<${ExecutionPage} id=${a} query=${q} />` : html`<${Executions} query=${q} />`;
  if (section === 'registry') {
    if (a && b === 'versions' && c) return html`<${VersionPage} group=${a} version=${c} />`;
    return a ? html`<${GroupPage} group=${a} />` : html`<${Registry} />`;
  }
  if (section === 'endpoints') return a ? html`<${EndpointPage} name=${a} />` : html`<${Endpoints} />`;
  if (section === 'compare') return html`<${Compare} query=${q} />`;
  if (section === 'predictions') return html`<${Predictions} query=${q} />`;
  return html`<section><h1>Not found</h1><p>There is no page <code>${location.hash}</code>.
    <a href="#/executions">Executions</a></p></section>`;
}

function Login({ onDone, error }) {
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState(error);
  const submit = async (e) => {
    e.preventDefault();
    setAccessKey(key.trim());
    try {
      onDone(await api('/whoami'));
    } catch (err) {
      setAccessKey('');
      setProblem(err);
    }
  };
  return html`<main class="login">
    <form onSubmit=${submit} class="card">
      <h1><span class="logo" aria-hidden="true">▲</span> Grove</h1>
      <p>This server answers only requests with an access key. Paste a key's secret; the console keeps it in this
        browser tab's session only.</p>
      <label for="key">Access key secret</label>
      <input id="key" type="password" autocomplete="off" required value=${key}
        onInput=${(e) => setKey(e.target.value)} />
      <p class="muted small">Create one with <code>grove key create --role viewer</code> (or operator, approver,
        admin) on the server's data folder.</p>
      <${ErrorNote} error=${problem} />
      <button type="submit" class="primary">Sign in</button>
    </form>
  </main>`;
}

function ConnectionState() {
  const [state, setState] = useState({ connected: false });
  useEffect(() => onConnection((connected) => setState({ connected })), []);
  return html`<span class="live ${state.connected ? 'on' : 'off'}" role="status">
    ${state.connected ? 'Live' : 'Reconnecting…'}</span>`;
}

function App() {
  const route = useRoute();
  const [session, setSession] = useState(null);
  const [problem, setProblem] = useState(null);
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    api('/whoami').then(setSession).catch((e) => setSession(e.status === 401 ? 'login' : (setProblem(e), 'login')));
    return onUnauthenticated(() => setSession('login'));
  }, []);
  useEffect(() => {
    if (session && session !== 'login') startEvents();
  }, [session]);
  useEffect(() => setMenuOpen(false), [route]);
  if (session === null) return html`<p class="boot">Loading Grove…</p>`;
  if (session === 'login') return html`<${Login} error=${problem} onDone=${(s) => { setProblem(null); setSession(s); }} />`;
  const current = route.parts[0] || 'executions';
  const signOut = () => {
    setAccessKey('');
    location.reload();
  };
  return html`<${Session.Provider} value=${session}>
    <div class="shell ${menuOpen ? 'menu-open' : ''}">
      <header class="top">
        <button type="button" class="menu" aria-label="Menu" aria-expanded=${menuOpen}
          onClick=${() => setMenuOpen(!menuOpen)}>☰</button>
        <a class="brand" href="#/executions"><span class="logo" aria-hidden="true">▲</span> Grove</a>
        <${ConnectionState} />
        <span class="who" title="Signed in as">${session.identity} · ${session.role}</span>
        ${session.identity !== 'anonymous' && html`<button type="button" class="link" onClick=${signOut}>Sign out</button>`}
      </header>
      <nav class="side" aria-label="Sections">
        ${sections.map(([id, label]) => html`<a href=${href([id])} class=${current === id ? 'active' : ''}
          aria-current=${current === id ? 'page' : undefined}>${label}</a>`)}
      </nav>
      <main class="content" id="main"><${Page} route=${route} /></main>
    </div>
  <//>`;
}

render(html`<${App} />`, document.getElementById('app'));
