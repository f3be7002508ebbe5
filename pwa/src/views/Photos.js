import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { api } from '../lib/services.js';
import { shrinkPhoto } from '../lib/photos.js';
import { newId } from '../lib/compose.js';

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

/** Pick or take several photos; each is shrunk on the device as soon as it is chosen. */
export function PhotoPicker({ photos, onChange, testid, label, id }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function pick(event) {
    const files = [...event.currentTarget.files];
    event.currentTarget.value = '';
    if (!files.length) return;
    setBusy(true);
    setError('');
    const added = [];
    for (const file of files) {
      try {
        const { blob, width, height } = await shrinkPhoto(file);
        added.push({ id: newId(), blob, width, height });
      } catch (e) {
        setError(t('photo_failed', { msg: e.message }));
      }
    }
    setBusy(false);
    onChange([...photos, ...added].slice(0, 9));
  }
  return html`<div class="field">
    <label for=${id} class="btn block file-label">${label}</label>
    <input id=${id} class="file" type="file" accept="image/*" capture="environment" multiple data-testid=${testid}
      aria-describedby=${`${id}-hint`} onChange=${pick} />
    <p id=${`${id}-hint`} class="hint" aria-live="polite">${busy ? t('photo_processing') : t('photos_hint')}</p>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${photos.length > 0 && html`<ul class="thumbs">
      ${photos.map((p, i) => html`<li key=${p.id}>
        <${AuthImg} blob=${p.blob} alt=${t('photo_alt', { n: i + 1 })} />
        <button type="button" class="btn small ghost" onClick=${() => onChange(photos.filter((x) => x.id !== p.id))}>
          ${t('remove_photo', { n: i + 1 })}</button>
      </li>`)}
    </ul>`}
  </div>`;
}
