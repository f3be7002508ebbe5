import { useState } from 'preact/hooks';

const PULL_PX = 70;

/** Pull down at the top of the page to refresh: touch events only, so a mouse user keeps the button. */
export function usePullToRefresh(onRefresh) {
  const [start, setStart] = useState(null);
  const [armed, setArmed] = useState(false);
  const handlers = {
    onTouchStart: (e) => setStart(window.scrollY <= 0 ? e.touches[0].clientY : null),
    onTouchMove: (e) => start !== null && setArmed(e.touches[0].clientY - start > PULL_PX),
    onTouchEnd: () => {
      if (armed) onRefresh();
      setStart(null);
      setArmed(false);
    },
  };
  return { handlers, armed };
}
