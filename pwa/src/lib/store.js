// A tiny observable app state for the views (no framework store needed).
import { useEffect, useState } from 'preact/hooks';

let state = {
  ready: false,
  session: null, // { token, user }
  authLost: false,
  lang: 'zh-CN',
  unsent: 0,
  attention: 0,
  syncing: false,
  syncState: 'idle', // idle | waiting | auth
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  updateReady: false,
  revision: 0, // bumps whenever cached data changed
  position: null, // { lat, lng, accuracy }
  syncedAt: null, // when the read cache was last pulled from /sync (ISO)
  refreshing: false,
  refreshFailed: false,
  outcome: null, // { findingId, state, problem? } of the user's last save (lib/outcome.js)
  unread: 0, // unread notifications, for the bell (lib/inbox.js; offline: as last fetched)
  notices: 0, // bumps whenever the inbox on the device changed
};
const listeners = new Set();

export const getState = () => state;

export function setState(patch) {
  state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) };
  listeners.forEach((fn) => fn(state));
}

export function bump() {
  setState((s) => ({ revision: s.revision + 1 }));
}

export function useAppState() {
  const [, force] = useState(0);
  const seen = state; // what this render shows
  useEffect(() => {
    const fn = () => force((n) => n + 1);
    listeners.add(fn);
    // The effect runs after the paint: a change made between the render and now (start() finishing on a fast
    // device, or on a slow one under load) reached no listener yet, and the app would stay on "加载中…".
    if (state !== seen) fn();
    return () => listeners.delete(fn);
  }, []);
  return state;
}
