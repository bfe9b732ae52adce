// Calls to Grove's REST API (/api/v1/, docs/api.md) with the session's access key.
const KEY = 'grove.key';
const unauthenticated = new Set();

export function accessKey() {
  return sessionStorage.getItem(KEY) || '';
}

// The key lives in this browser tab's session only: closing the tab forgets it.
export function setAccessKey(key) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

export function onUnauthenticated(fn) {
  unauthenticated.add(fn);
  return () => unauthenticated.delete(fn);
}

export function authHeaders() {
  const key = accessKey();
  return key ? { Authorization: 'Bearer ' + key } : {};
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// The server's message, said plainly, with what the status means for the user.
function plainMessage(status, message) {
  if (status === 401) return 'The server does not know this access key. ' + (message || '');
  if (status === 403) return "Your access key's role may not do this. " + (message || '');
  if (status >= 500) return 'The server failed: ' + (message || 'no details');
  return message || 'The request failed (HTTP ' + status + ').';
}

export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = authHeaders();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch('/api/v1' + path, {
      method, headers, signal, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'Unavailable', 'The server cannot be reached. Is grove server running?');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = (json && json.error) || {};
    if (response.status === 401) unauthenticated.forEach((fn) => fn());
    throw new ApiError(response.status, error.code || 'HTTP' + response.status,
                       plainMessage(response.status, error.message));
  }
  return json;
}

// Every item of a paginated list (docs/api.md, "Pagination"), at most `max`.
export async function listAll(path, max = 20000) {
  const items = [];
  let token = '';
  const sep = path.includes('?') ? '&' : '?';
  do {
    const page = await api(path + sep + 'limit=1000' + (token ? '&page_token=' + encodeURIComponent(token) : ''));
    items.push(...page.items);
    token = page.next_page_token || '';
  } while (token && items.length < max);
  return items;
}

// One page of a list: {items, next_page_token}.
export function listPage(path, token, limit = 50) {
  const sep = path.includes('?') ? '&' : '?';
  return api(path + sep + 'limit=' + limit + (token ? '&page_token=' + encodeURIComponent(token) : ''));
}

export const enc = encodeURIComponent;

// Saves an artifact (or one file of a folder artifact) as a download; the key goes in a header, never a URL.
export async function downloadArtifact(digest, filename, path = '') {
  const url = '/api/v1/artifacts/' + digest + '/content' + (path ? '?path=' + enc(path) : '');
  const response = await fetch(url, { headers: authHeaders() });
  if (!response.ok) {
    let message = '';
    try {
      message = (await response.json()).error.message;
    } catch {
      message = '';
    }
    throw new ApiError(response.status, 'Download', plainMessage(response.status, message));
  }
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

// An artifact's bytes as text (reports, logs, baselines).
export async function artifactText(digest, path = '') {
  const url = '/api/v1/artifacts/' + digest + '/content' + (path ? '?path=' + enc(path) : '');
  const response = await fetch(url, { headers: authHeaders() });
  if (!response.ok) throw new ApiError(response.status, 'Artifact', plainMessage(response.status, ''));
  return response.text();
}
