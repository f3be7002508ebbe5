// When the read cache is pulled from /sync (issue 10: fresh lists): on start, when the page becomes visible,
// every few minutes while it is open, visible and online, after a successful send, and when the user asks.
// Pulls never overlap: a request during a pull makes one more pull after it, not one per request.
// Timers and the page's state are injected, so the policy is tested without a browser or a clock.

export const EVERY_MS = 3 * 60_000;

export function createRefresher({
  pull,
  isOnline = () => true,
  isVisible = () => true,
  every = EVERY_MS,
  setTimer = (fn, ms) => setInterval(fn, ms),
  clearTimer = (id) => clearInterval(id),
}) {
  let running = null;
  let again = false;
  let timer = null;

  async function run() {
    try {
      await pull();
    } catch {
      /* a failed pull is retried by the next trigger; the list keeps saying when it was last fresh */
    }
  }

  /** Pull now (or right after the pull under way). Resolves when the cache is as fresh as this request. */
  function request() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await run();
      } while (again);
      running = null;
    })();
    return running;
  }

  const tick = () => {
    if (isOnline() && isVisible()) request();
  };

  return {
    request,
    start() {
      if (timer === null) timer = setTimer(tick, every);
      return request();
    },
    stop() {
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
    /** The page became visible again, or the network came back: what others did meanwhile is worth a pull. */
    wake() {
      return isOnline() && isVisible() ? request() : Promise.resolve();
    },
    isRunning: () => running !== null,
  };
}
