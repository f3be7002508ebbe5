// Registers the service worker at the root scope and offers an update when a new one is waiting.
// Updating is skipWaiting + reload: the outbox lives in IndexedDB and nothing here touches it.
import { setState } from './store.js';

let waiting = null;
let updating = false; // reload only when the user asked for the update, never in the middle of their work

function offer(worker) {
  waiting = worker;
  setState({ updateReady: true });
}

export async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (updating) {
      updating = false;
      location.reload();
    }
  });
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' });
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
    });
  });
  // claim() in `activate` takes only pages already loaded: one whose navigation was answered after it (a reload
  // on a slow network during the first install) stays uncontrolled until it is reloaded, so it asks for itself.
  navigator.serviceWorker.ready.then((ready) => {
    if (!navigator.serviceWorker.controller) ready.active?.postMessage({ type: 'CLAIM' });
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') registration.update().catch(() => {});
  });
}

export function applyUpdate() {
  setState({ updateReady: false });
  if (waiting?.state === 'installed') {
    updating = true;
    waiting.postMessage({ type: 'SKIP_WAITING' });
  } else {
    location.reload();
  }
}
