// One execution: its step graph, changing live as steps start, finish, hit the cache or fail; the step list;
// a fleet's items at a glance; a tuning step's trials; and the step details panel.
import { html } from 'htm/preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, enc, listAll } from '../lib/api.js';
import { onConnection, subscribe } from '../lib/events.js';
import { elapsed, formatDuration, formatTime } from '../lib/format.js';
import { href, navigate } from '../lib/router.js';
import { ErrorNote, Loading, Status, Tabs, useCan, useSlice } from '../components/common.js';
import { Graph } from '../components/graph.js';
import { StepPanel } from '../components/step_panel.js';
import { ParameterList } from './executions.js';
import { FleetView, groupItemRuns, splitItem } from './fleet.js';
import { TrialsView } from './trials.js';

const ENDED = new Set(['Succeeded', 'Failed', 'Stopped']);

// The graph's nodes: definition steps, with a ForEach template step standing for all its items.
function buildGraph(definition, runs) {
  const byTemplate = groupItemRuns(runs, 'base');
  const steps = definition ? definition.steps : [...runs.values()].filter((r) => !splitItem(r.step))
    .map((r) => ({ name: r.step, type: r.type, depends_on: [] }));
  const nodes = steps.map((s) => {
    const items = byTemplate.get(s.name);
    if (s.branch === 'template' || items) {
      const list = items || [];
      const count = (st) => list.filter((r) => r.status === st).length;
      const failed = count('Failed');
      const running = count('Executing') + count('Starting');
      const done = count('Succeeded');
      const status = failed ? 'Failed' : running ? 'Executing' : list.length && done === list.length ? 'Succeeded'
        : list.length ? 'Executing' : undefined;
      const note = list.length ? `${done}/${list.length} items${failed ? ', ' + failed + ' failed' : ''}` : 'for each item';
      return { id: s.name, label: s.name, type: s.type, status, note };
    }
    const run = runs.get(s.name);
    // A Condition's step in the branch its outcome did not take never runs.
    const parent = s.parent && runs.get(s.parent);
    const outcome = parent && parent.status === 'Succeeded' && (parent.metadata || {}).outcome;
    if (!run && typeof outcome === 'boolean' && (s.branch === 'if' || s.branch === 'else') &&
        (s.branch === 'if') !== outcome) {
      return { id: s.name, label: s.name, type: s.type, status: 'NotTaken', note: 'branch not taken' };
    }
    const note = run && run.cache_hit ? 'cached' : '';
    return { id: s.name, label: s.name, type: s.type, status: run && run.status, note: note || (run && run.status) };
  });
  const edges = [];
  for (const s of steps) for (const d of s.depends_on || []) edges.push([d, s.name]);
  return { nodes, edges };
}

function StepsTable({ runs, onSelect }) {
  const all = [...runs.values()];
  const page = useSlice(all, 100);
  return html`<div><table class="list">
    <thead><tr><th>Step</th><th>Type</th><th>Status</th><th>Started</th><th>Duration</th><th>Note</th></tr></thead>
    <tbody>${page.items.map((r) => html`<tr class="clickable" onClick=${() => onSelect(r.step)}>
      <td><button type="button" class="link" onClick=${() => onSelect(r.step)}>${r.step}</button></td>
      <td>${r.type}</td><td><${Status} status=${r.status} /></td><td>${formatTime(r.started_at)}</td>
      <td>${formatDuration(r.duration_ms ?? elapsed(r.started_at, r.ended_at))}</td>
      <td class="reason">${r.cache_hit ? 'cached from ' + r.cache_hit_source : r.failure_reason}</td></tr>`)}</tbody>
  </table>${page.pager}</div>`;
}

export function ExecutionPage({ id, query }) {
  const canOperate = useCan('operator');
  const [execution, setExecution] = useState(null);
  const [definition, setDefinition] = useState(null);
  const [runs, setRuns] = useState(null);
  const [error, setError] = useState(null);
  const [actionError, setActionError] = useState(null);
  const [, tick] = useState(0);
  const tab = query.get('tab') || 'graph';
  const selected = query.get('step') || '';
  const refetch = useRef(null);
  const setQuery = (changes) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    navigate(href(['executions', id]) + (next.toString() ? '?' + next.toString() : ''));
  };

  const loadRuns = () => listAll('/executions/' + enc(id) + '/steps')
    .then((items) => setRuns(new Map(items.map((r) => [r.step, r]))));
  const load = async () => {
    try {
      const e = await api('/executions/' + enc(id));
      setExecution(e);
      await loadRuns();
      api('/pipelines/' + enc(e.pipeline) + '/graph?version=' + e.version).then(setDefinition).catch(() => setDefinition(null));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    setExecution(null);
    setRuns(null);
    setError(null);
    load();
  }, [id]);
  // Details (outputs, metadata) arrive with a re-read of the step list, at most every 300 ms.
  const scheduleRefetch = () => {
    if (refetch.current) return;
    refetch.current = setTimeout(() => {
      refetch.current = null;
      loadRuns().catch(() => {});
    }, 300);
  };
  useEffect(() => subscribe((events) => {
    let statusChanged = false;
    const steps = [];
    for (const e of events) {
      if (e.subject !== id) continue;
      if (e.kind === 'step.status') {
        steps.push(e);
        if (e.payload.step === selected) statusChanged = true;
      } else if (e.kind === 'execution.status') {
        setExecution((x) => x && { ...x, status: e.payload.status,
          failure_reason: e.payload.failure_reason || x.failure_reason, ended_at: ENDED.has(e.payload.status) ? e.at : x.ended_at });
        if (ENDED.has(e.payload.status)) {
          statusChanged = true;
          api('/executions/' + enc(id)).then(setExecution).catch(() => {});
        }
      }
    }
    if (steps.length) {
      setRuns((previous) => {
        const next = new Map(previous || []);
        for (const e of steps) {
          const p = e.payload;
          const old = next.get(p.step) || { step: p.step, type: '', outputs: {}, metadata: {} };
          next.set(p.step, { ...old, status: p.status,
                             started_at: p.status === 'Executing' && !old.started_at ? e.at : old.started_at,
                             ended_at: ENDED.has(p.status) ? e.at : old.ended_at });
        }
        return next;
      });
    }
    if (statusChanged) scheduleRefetch();
  }), [id, selected]);
  useEffect(() => onConnection((connected, reconnected) => { if (connected && reconnected) load(); }), [id]);
  useEffect(() => () => clearTimeout(refetch.current), []);
  useEffect(() => { if (selected && runs) scheduleRefetch(); }, [selected]);
  useEffect(() => {
    if (!execution || ENDED.has(execution.status)) return undefined;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [execution && execution.status]);

  const graph = useMemo(() => runs && buildGraph(definition, runs), [definition, runs]);
  const hasItems = runs && [...runs.keys()].some((k) => splitItem(k));
  const hasTrials = runs && [...runs.values()].some((r) => /Tuning/.test(r.type));

  const act = async (what) => {
    setActionError(null);
    try {
      const result = await api('/executions/' + enc(id) + '/' + what, { method: 'POST', body: {} });
      if (what === 'retry' && result.id) navigate(href(['executions', result.id]));
      else load();
    } catch (e) {
      setActionError(e);
    }
  };

  if (error) return html`<section><h1>Execution ${id}</h1><${ErrorNote} error=${error} /></section>`;
  if (!execution || !runs) return html`<section><h1>Execution ${id}</h1><${Loading} /></section>`;
  const running = !ENDED.has(execution.status);
  const selectedRun = runs.get(selected);
  // Selecting a ForEach node shows the fleet of its items.
  const selectNode = (step) => {
    const node = graph.nodes.find((n) => n.id === step);
    if (node && node.note && /items|for each/.test(node.note) && !runs.has(step)) setQuery({ tab: 'fleet', step: '' });
    else setQuery({ step });
  };
  return html`<section class=${selected ? 'with-panel' : ''}>
    <div class="page-head">
      <h1>Execution <code>${id}</code></h1>
      <${Status} status=${execution.status} />
      <div class="actions">
        <a href=${href(['compare'], { pipeline: execution.pipeline, ids: id })}>Compare…</a>
        ${canOperate && running && html`<button type="button" onClick=${() => act('stop')}>Stop</button>`}
        ${canOperate && !running && execution.status !== 'Succeeded' && html`<button type="button" onClick=${() => act('retry')}>Retry</button>`}
      </div>
    </div>
    <${ErrorNote} error=${actionError} />
    <p class="summary">
      <a href=${href(['pipelines', execution.pipeline], { version: execution.version })}>${execution.pipeline} v${execution.version}</a>
      ${" "}· started ${formatTime(execution.started_at)} · ${formatDuration(execution.duration_ms ?? elapsed(execution.started_at, execution.ended_at))}
    </p>
    <p><${ParameterList} parameters=${execution.parameters} /></p>
    ${execution.failure_reason && html`<div class="failure" role="alert"><b>Failed:</b> ${execution.failure_reason}</div>`}
    <${Tabs} current=${tab} onSelect=${(t) => setQuery({ tab: t === 'graph' ? '' : t })}
      tabs=${[['graph', 'Graph'], ['steps', `Steps (${runs.size})`], ...(hasItems ? [['fleet', 'Fleet']] : []),
              ...(hasTrials ? [['trials', 'Trials']] : [])]} />
    <div class="split">
      <div class="main-col">
        ${tab === 'graph' && html`<div class="card"><${Graph} nodes=${graph.nodes} edges=${graph.edges}
          selected=${selected} onSelect=${selectNode} label=${'Steps of execution ' + id} /></div>`}
        ${tab === 'steps' && html`<div class="card"><${StepsTable} runs=${runs} onSelect=${(s) => setQuery({ step: s })} /></div>`}
        ${tab === 'fleet' && html`<${FleetView} runs=${runs} onSelect=${(s) => setQuery({ step: s })} />`}
        ${tab === 'trials' && html`<${TrialsView} execution=${id} runs=${runs} />`}
      </div>
      ${selected && html`<${StepPanel} execution=${id} run=${selectedRun} name=${selected} onClose=${() => setQuery({ step: '' })} />`}
    </div>
  </section>`;
}
