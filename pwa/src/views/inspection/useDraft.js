import { useEffect, useRef, useState } from 'preact/hooks';
import { loadDraft, saveDraft } from '../../lib/inspection-drafts.js';

const TYPING_MS = 400;

/** The draft as the screens show it, and `update(fn)` that changes it and saves it: at once for an answer or a
 * move, a moment later while typing ({ soon: true }), and always when the page is hidden or left, so a reload
 * resumes where it was. undefined while loading, null when there is none. */
export function useDraft(user, id) {
  const [draft, setDraft] = useState(undefined);
  const ref = useRef(undefined);
  const timer = useRef(null);

  const flush = () => {
    clearTimeout(timer.current);
    timer.current = null;
    return ref.current ? saveDraft(ref.current) : Promise.resolve();
  };

  function update(fn, { soon = false } = {}) {
    if (!ref.current) return;
    ref.current = fn(ref.current);
    setDraft(ref.current);
    clearTimeout(timer.current);
    if (soon) timer.current = setTimeout(flush, TYPING_MS);
    else flush();
  }

  useEffect(() => {
    let live = true;
    loadDraft(user, id).then((found) => {
      if (!live) return;
      ref.current = found || null;
      setDraft(ref.current);
    });
    const hidden = () => document.visibilityState === 'hidden' && timer.current && flush();
    const leaving = () => timer.current && flush();
    document.addEventListener('visibilitychange', hidden);
    addEventListener('pagehide', leaving);
    return () => {
      live = false;
      if (timer.current) flush();
      document.removeEventListener('visibilitychange', hidden);
      removeEventListener('pagehide', leaving);
    };
  }, [id]);

  return [draft, update, flush];
}
