// One API read for a desk panel: {data, error, loading}; read again when the path, `again` or the network changes.
// Each panel has its own, so one answer that fails leaves the others on screen.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/services.js';
import { useAppState } from '../../lib/store.js';

export function useFetched(path, again = 0) {
  const { online } = useAppState();
  const [state, setState] = useState({ data: null, error: null, loading: Boolean(path) });
  useEffect(() => {
    if (!path) return undefined;
    if (!online) {
      setState((s) => ({ ...s, loading: false, error: s.data ? null : { offline: true } }));
      return undefined;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    api.get(path).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState((s) => ({ ...s, error, loading: false })),
    );
    return () => { live = false; };
  }, [path, again, online]);
  return state;
}
