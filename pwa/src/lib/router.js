// Hash routes: #/ · #/new · #/f/<id> · #/attention · #/inbox · #/settings (notification channels)
import { useEffect, useState } from 'preact/hooks';

const parse = () => (location.hash.replace(/^#/, '') || '/').split('/').filter(Boolean);

export function useRoute() {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const fn = () => {
      setRoute(parse());
      window.scrollTo(0, 0);
    };
    addEventListener('hashchange', fn);
    return () => removeEventListener('hashchange', fn);
  }, []);
  return route;
}

export const go = (path) => {
  location.hash = path;
};
