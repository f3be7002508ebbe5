// Hash routes: #/ · #/new · #/f/<id> · #/attention · #/inbox · #/settings (notification channels) · #/queue/<tab>
// and, at a desk, #/dashboard · #/table · #/map, whose filters ride in the hash's query (#/table?overdue=true,
// lib/desk-filters.js): the query is not part of the route's path.
import { useEffect, useState } from 'preact/hooks';

const path = () => (location.hash.replace(/^#/, '').split('?')[0] || '/');
const parse = () => path().split('/').filter(Boolean);

export function useRoute() {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    let last = path();
    const fn = () => {
      setRoute(parse());
      // a new screen starts at its top; the same screen with other filters keeps its place
      if (path() !== last) window.scrollTo(0, 0);
      last = path();
    };
    addEventListener('hashchange', fn);
    return () => removeEventListener('hashchange', fn);
  }, []);
  return route;
}

export const go = (to) => {
  location.hash = to;
};
