// Hash routes (#/executions/ID?tab=graph): the server serves one page, and a link can be shared.
import { useEffect, useState } from 'preact/hooks';

export function parseRoute(hash = location.hash) {
  const text = hash.replace(/^#\/?/, '');
  const [path, query = ''] = text.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, query: new URLSearchParams(query) };
}

export function useRoute() {
  const [route, setRoute] = useState(parseRoute());
  useEffect(() => {
    const update = () => setRoute(parseRoute());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function href(parts, query) {
  const path = '#/' + parts.map((p) => encodeURIComponent(p)).join('/');
  const q = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''))
                      .toString() : '';
  return q ? path + '?' + q : path;
}

export function navigate(to) {
  location.hash = to.startsWith('#') ? to : '#' + to;
}
