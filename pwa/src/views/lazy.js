import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';

const loaded = new Map();

/** A screen loaded on first use, so the first screen (sign-in, the list) stays small. The service worker has
 * every chunk precached, so this works offline too. */
export function lazyScreen(load, name) {
  return function LazyScreen(props) {
    const [Screen, setScreen] = useState(() => loaded.get(name));
    useEffect(() => {
      if (Screen) return;
      let live = true;
      load().then((module) => {
        loaded.set(name, module[name]);
        if (live) setScreen(() => module[name]);
      });
      return () => { live = false; };
    }, []);
    return Screen ? html`<${Screen} ...${props} />` : html`<p role="status">${t('loading')}</p>`;
  };
}
