// A step's log: followed live from GET .../logs/stream while the step runs, read once when it has ended.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, authHeaders, enc } from '../lib/api.js';
import { readEventStream } from '../lib/sse.js';
import { ErrorNote } from './common.js';

export function LogView({ execution, step, running }) {
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const [live, setLive] = useState(false);
  const box = useRef(null);
  useEffect(() => {
    setText('');
    setError(null);
    const controller = new AbortController();
    const base = '/api/v1/executions/' + enc(execution) + '/logs';
    if (running) {
      let offset = null;
      const follow = async () => {
        for (let attempt = 0; attempt < 30 && !controller.signal.aborted; ++attempt) {
          let ended = false;
          try {
            await readEventStream(base + '/stream?step=' + enc(step), {
              headers: authHeaders(), lastEventId: offset, signal: controller.signal,
              onOpen: () => setLive(true),
              onEvent: (m) => {
                if (m.event === 'log') {
                  offset = m.id;
                  const chunk = JSON.parse(m.data).text;
                  setText((t) => t + chunk);
                } else if (m.event === 'end') {
                  ended = true;
                }
              },
            });
          } catch (e) {
            if (controller.signal.aborted) return;
          }
          setLive(false);
          if (ended) return;
          await new Promise((r) => setTimeout(r, 1000));
        }
      };
      follow();
    } else {
      api('/executions/' + enc(execution) + '/logs?step=' + enc(step), { signal: controller.signal })
        .then((r) => setText(r.items && r.items[0] ? r.items[0].log || '' : ''))
        .catch((e) => e.name !== 'AbortError' && setError(e));
    }
    return () => controller.abort();
  }, [execution, step, running]);
  useEffect(() => {
    const el = box.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [text]);
  return html`<div class="log-wrap">
    ${live && html`<span class="live on small">Following the log</span>`}
    <${ErrorNote} error=${error} />
    <pre class="log" ref=${box} tabindex="0" aria-label=${'Log of ' + step}>${text || (running ? 'Waiting for output…' : 'The step wrote no log.')}</pre>
  </div>`;
}
