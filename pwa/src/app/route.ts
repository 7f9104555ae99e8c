import { useEffect, useState } from 'react';

export const ROUTES = ['reports', 'history', 'import', 'admin', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

function current(): Route {
  const name = location.pathname.replace(/^\/+|\/+$/g, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'reports';
}

/** The screen in the address bar (`/history`, …); links push history, Back works. */
export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(current);
  useEffect(() => {
    const back = () => setRoute(current());
    window.addEventListener('popstate', back);
    return () => window.removeEventListener('popstate', back);
  }, []);
  const go = (next: Route) => {
    if (next !== route) history.pushState(null, '', `/${next}`);
    setRoute(next);
  };
  return [route, go];
}
