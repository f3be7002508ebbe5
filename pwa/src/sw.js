// The service worker: precaches the app shell (content-hashed by the build) and nothing else.
// API requests are never answered from here: they go to the network, and the app keeps its own
// offline copy of findings in IndexedDB.
import { precacheAndRoute, cleanupOutdatedCaches, matchPrecache } from 'workbox-precaching';
import { registerRoute, NavigationRoute } from 'workbox-routing';

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

async function shell({ request }) {
  try {
    const cached = await matchPrecache('index.html');
    if (cached) return cached;
    return await fetch(request);
  } catch {
    return (await matchPrecache('offline.html')) || Response.error();
  }
}

registerRoute(new NavigationRoute(shell, { denylist: [/^\/api\//, /^\/samples\//] })); // a sample file is a download, not the app

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
  // A page whose response arrived after `activate` claimed was missed by that claim (see sw-register.js).
  if (event.data?.type === 'CLAIM') event.waitUntil(self.clients.claim());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

