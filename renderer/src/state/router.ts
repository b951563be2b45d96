/** Hash routes: works from file:// (Electron) and http:// (web mode) alike. */
import { useEffect, useState } from 'react';

export type Route =
  | { view: 'home' }
  | { view: 'runs' }
  | { view: 'problem' }
  | { view: 'run'; id: string }
  | { view: 'compare'; a: string | null; b: string | null };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'runs':
      return { view: 'runs' };
    case 'problem':
      return { view: 'problem' };
    case 'run':
      return parts[1] ? { view: 'run', id: parts[1] } : { view: 'runs' };
    case 'compare':
      return { view: 'compare', a: parts[1] ?? null, b: parts[2] ?? null };
    default:
      return { view: 'home' };
  }
}

export function href(r: Route): string {
  switch (r.view) {
    case 'home':
      return '#/';
    case 'runs':
      return '#/runs';
    case 'problem':
      return '#/problem';
    case 'run':
      return `#/run/${encodeURIComponent(r.id)}`;
    case 'compare':
      return `#/compare/${r.a ? encodeURIComponent(r.a) : ''}${r.b ? '/' + encodeURIComponent(r.b) : ''}`;
  }
}

export function navigate(r: Route): void {
  const h = href(r);
  if (window.location.hash !== h) window.location.hash = h;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
