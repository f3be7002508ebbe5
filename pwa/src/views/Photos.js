import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { api } from '../lib/services.js';
import { shrinkPhoto } from '../lib/photos.js';
import { newId } from '../lib/compose.js';
import { MAX_PHOTOS, oneAtATime, pickPhotos, settleEntry, stillShrinking } from '../lib/picked.js';

/** A photo behind the bearer token: fetched as a Blob and shown through an object URL. */
export function AuthImg({ url, blob, alt }) {
  const [src, setSrc] = useState(null);
  useEffect(() => {
    let objectUrl;
    let live = true;
    (blob ? Promise.resolve(blob) : api.blob(url)).then(
      (b) => {
        objectUrl = URL.createObjectURL(b);
        if (live) setSrc(objectUrl);
      },
      () => {},
    );
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, blob]);
  return src
    ? html`<img src=${src} alt=${alt} width="160" height="160" loading="lazy" decoding="async" />`
    : html`<span class="img-missing" role="img" aria-label=${alt}>${t('photo_pending')}</span>`;
}

// One photo decoded at a time: a phone that decodes nine 12 MP photos at once runs out of memory.
const shrinkInTurn = oneAtATime(shrinkPhoto);

/** The picked photos of a form, with a ref that always holds the latest list (for "save", which awaits). */
export function usePicked() {
  const [entries, setEntries] = useState([]);
  const ref = useRef(entries);
  const update = (next) =>
    setEntries((list) => {
      ref.current = typeof next === 'function' ? next(list) : next;
      return ref.current;
    });
  return [entries, update, ref];
}

function Thumb({ entry, n, onRemove }) {
  return html`<li data-state=${entry.state}>
    ${entry.state === 'ready'
      ? html`<${AuthImg} blob=${entry.blob} alt=${t('photo_alt', { n })} />`
      : html`<span class=${`img-missing ${entry.state}`} role="img" aria-label=${t('photo_alt', { n })}>
          ${entry.state === 'failed' ? t('photo_failed_short') : t('photo_shrinking')}</span>`}
    <button type="button" class="btn small ghost" onClick=${onRemove}>${t('remove_photo', { n })}</button>
  </li>`;
}

/** Pick or take several photos. Each is in the form at once and shrunk on the device in turn; the form's
 * save waits for the ones still being shrunk (lib/picked.js). `onChange` takes an updater. */
export function PhotoPicker({ photos, onChange, testid, label, id }) {
  function pick(event) {
    const files = [...event.currentTarget.files].slice(0, Math.max(0, MAX_PHOTOS - photos.length));
    event.currentTarget.value = '';
    if (!files.length) return;
    const entries = pickPhotos(files, shrinkInTurn, newId);
    onChange((list) => [...list, ...entries]);
    for (const entry of entries) entry.done.then((settled) => onChange((list) => settleEntry(list, settled)));
  }
  const busy = stillShrinking(photos);
  const failed = photos.filter((p) => p.state === 'failed');
  return html`<div class="field">
    <label for=${id} class="btn block file-label">${label}</label>
    <input id=${id} class="file" type="file" accept="image/*" capture="environment" multiple data-testid=${testid}
      aria-describedby=${`${id}-hint`} onChange=${pick} />
    <p id=${`${id}-hint`} class="hint" aria-live="polite">
      ${busy ? t('photos_processing', { done: photos.length - busy, total: photos.length }) : t('photos_hint')}</p>
    ${failed.length > 0 && html`<p class="error" role="alert">${t('photo_failed', { msg: failed[0].error })}</p>`}
    ${photos.length > 0 && html`<ul class="thumbs">
      ${photos.map((p, i) => html`<${Thumb} key=${p.id} entry=${p} n=${i + 1} onRemove=${() => onChange((list) => list.filter((x) => x.id !== p.id))} />`)}
    </ul>`}
  </div>`;
}
