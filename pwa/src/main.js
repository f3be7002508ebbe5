import { render } from 'preact';
import { html } from './lib/html.js';
import { App } from './views/App.js';
import { start, drain, syncNow, outbox, setOnline, wake, refresh } from './lib/services.js';
import { registerServiceWorker } from './lib/sw-register.js';
import './styles.css';

render(html`<${App} />`, document.getElementById('app'));
start();

addEventListener('online', () => {
  setOnline(true);
  syncNow();
});
addEventListener('offline', () => setOnline(false));
// Back to the app after a while: send what waits and show what others did meanwhile.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') wake();
});

// For the browser tests.
window.__closeloop = {
  outboxCount: () => outbox.count(),
  drain: () => drain(),
  refresh: () => refresh(),
};

if (import.meta.env.PROD) {
  addEventListener('load', () => registerServiceWorker().catch(() => {}));
}
