// The desk's screens load on first use and are not in the precached shell (they are the desk's, not the phone's):
// offline, or on a failed fetch, the screen says so and offers to try again instead of loading forever.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';

const loaded = new Map();

export function lazyDesk(load, name) {
  return function DeskScreen(props) {
    const [state, setState] = useState(() => ({ Screen: loaded.get(name), failed: false }));
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (state.Screen) return undefined;
      let live = true;
      load().then(
        (module) => {
          loaded.set(name, module[name]);
          if (live) setState({ Screen: module[name], failed: false });
        },
        () => live && setState({ Screen: null, failed: true }),
      );
      return () => { live = false; };
    }, [attempt]);
    if (state.Screen) return html`<${state.Screen} ...${props} />`;
    if (!state.failed) return html`<p role="status">${t('loading')}</p>`;
    return html`<div class="banner refused" role="alert" data-testid="desk-load-failed">
      <span>${navigator.onLine === false ? t('desk_load_offline') : t('desk_load_failed')}</span>
      <button type="button" class="btn small" onClick=${() => { setState({ Screen: null, failed: false }); setAttempt((n) => n + 1); }}>${t('desk_retry')}</button>
    </div>`;
  };
}
