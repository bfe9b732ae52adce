// The page's one connection to the server's event log (GET /api/v1/events, docs/api.md "Events"). Views
// subscribe to it; nothing polls. Events are handed over in batches, once per animation frame, so a burst
// (hundreds of steps changing state a second) costs one render, and none is dropped. After the stream ends
// (a server restart, a network change) it reconnects with Last-Event-ID and resumes after the last event seen.
import { authHeaders } from './api.js';
import { readEventStream } from './sse.js';

const listeners = new Set();
const connectionListeners = new Set();
let lastSeq = null;
let running = false;
let connected = false;
let pending = [];
let scheduled = false;

// Counts for benchmarks and diagnostics (bench/console_bench.mjs reads them): events and batches delivered.
const stats = { events: 0, batches: 0 };
window.__groveEvents = stats;

function flush() {
  scheduled = false;
  const batch = pending;
  stats.events += batch.length;
  stats.batches += 1;
  pending = [];
  for (const fn of listeners) {
    try {
      fn(batch);
    } catch (e) {
      console.error('event listener failed', e);
    }
  }
}

function deliver(event) {
  pending.push(event);
  if (!scheduled) {
    scheduled = true;
    // Hidden tabs get no animation frames; a timer keeps their views current.
    if (document.hidden) setTimeout(flush, 100);
    else requestAnimationFrame(flush);
  }
}

function setConnected(value, reconnected) {
  if (connected === value) return;
  connected = value;
  for (const fn of connectionListeners) fn(value, reconnected);
}

async function run() {
  let delay = 500;
  let opened = false;
  for (;;) {
    try {
      const url = '/api/v1/events' + (lastSeq === null ? '?after=latest' : '');
      const result = await readEventStream(url, {
        headers: authHeaders(),
        lastEventId: lastSeq,
        onOpen: () => {
          setConnected(true, opened);
          opened = true;
          delay = 500;
        },
        onEvent: (message) => {
          let event;
          try {
            event = JSON.parse(message.data);
          } catch {
            return;
          }
          lastSeq = event.seq;
          deliver(event);
        },
      });
      if (result.retry) delay = result.retry;
    } catch (e) {
      if (e.status === 401) {
        setConnected(false);
        running = false;
        return;
      }
    }
    setConnected(false);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5000);
  }
}

export function startEvents() {
  if (running) return;
  running = true;
  run();
}

// fn(events): an array of events ({seq, at, kind, subject, payload}), oldest first.
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// fn(connected, reconnected): reconnected is true when the stream came back after a break, so a view may
// reload what it shows.
export function onConnection(fn) {
  connectionListeners.add(fn);
  fn(connected, false);
  return () => connectionListeners.delete(fn);
}

export function isConnected() {
  return connected;
}

// Runs `read` now and again after 0.5 s and 2 s. What an endpoint serves changes when the server acts on an
// approval or a deploy (within its event poll, 200 ms by default, plus the time to load the model), and that
// swap is not an event of its own: views of endpoints read them again once it has had time to happen.
export function readSettled(read) {
  read();
  setTimeout(read, 500);
  setTimeout(read, 2000);
}
