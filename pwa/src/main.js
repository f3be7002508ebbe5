import { render } from 'preact';
import { html } from './lib/html.js';
import { App } from './views/App.js';
import { start, drain, syncNow, outbox } from './lib/services.js';
import { setState } from './lib/store.js';
import { registerServiceWorker } from './lib/sw-register.js';
import './styles.css';

render(html`<${App} />`, document.getElementById('app'));
start();

addEventListener('online', () => {
  setState({ online: true });
  syncNow();
});
addEventListener('offline', () => setState({ online: false }));
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') drain();
});

// For the browser tests.
window.__closeloop = {
  outboxCount: () => outbox.count(),
  drain: () => drain(),
};

if (import.meta.env.PROD) {
  addEventListener('load', () => registerServiceWorker().catch(() => {}));
}
