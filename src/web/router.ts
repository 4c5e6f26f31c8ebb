import { useEffect, useState } from 'react';

/** The pages of the app, addressed by path (the server falls back to index.html). */
export type Route =
  | { page: 'threads'; threadId: string | null }
  | { page: 'audit'; query: URLSearchParams }
  | { page: 'governance' }
  | { page: 'connections' }
  | { page: 'admin' };

/** The route for a location path and query. */
export function parseRoute(pathname: string, search = ''): Route {
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] === 'audit') return { page: 'audit', query: new URLSearchParams(search) };
  if (parts[0] === 'governance') return { page: 'governance' };
  if (parts[0] === 'connections') return { page: 'connections' };
  if (parts[0] === 'admin') return { page: 'admin' };
  if (parts[0] === 'threads' && parts[1]) return { page: 'threads', threadId: decodeURIComponent(parts[1]) };
  return { page: 'threads', threadId: null };
}

/** Pushes (or replaces) a path in history and re-renders `useRoute` users. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === `${location.pathname}${location.search}`) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current route, following back/forward and `navigate`. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname, location.search));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname, location.search));
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

/** The path of a thread's page. */
export function threadPath(threadId: string): string {
  return `/threads/${encodeURIComponent(threadId)}`;
}
