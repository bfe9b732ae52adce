// An artifact named by its digest: a download button, and for a folder its files.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, downloadArtifact } from '../lib/api.js';
import { formatBytes, shortDigest } from '../lib/format.js';

export function ArtifactLink({ digest, name }) {
  const [error, setError] = useState(null);
  const [info, setInfo] = useState(null);
  const save = async (path = '', filename = name) => {
    setError(null);
    try {
      if (!path && !info) {
        const record = await api('/artifacts/' + digest);
        if (record.is_directory) {
          setInfo(record);
          return;
        }
      }
      await downloadArtifact(digest, filename, path);
    } catch (e) {
      setError(e);
    }
  };
  const files = info && (info.files || []);
  return html`<span class="artifact">
    <button type="button" class="link" onClick=${() => save()} title=${digest}>
      ⤓ ${name} <code class="muted">${shortDigest(digest)}</code></button>
    ${files && html`<ul class="files">${files.map((f) => html`<li><button type="button" class="link"
      onClick=${() => save(f.path, f.path.split('/').pop())}>⤓ ${f.path}</button>
      ${f.size_bytes !== undefined && html` <span class="muted small">${formatBytes(f.size_bytes)}</span>`}</li>`)}</ul>`}
    ${error && html`<span class="error" role="alert">${error.message}</span>`}
  </span>`;
}
