import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState, bump } from '../lib/store.js';
import { api, cache, kv, outbox } from '../lib/services.js';
import { formatDate, formatTime } from '../lib/dates.js';
import { Badges, categoryName } from './FindingList.js';
import { AuthImg } from './Photos.js';
import { ActionForm } from './ActionForm.js';

const FRESH_WAIT_MS = 2000;

/** The cached finding at once; when the cache has only the list's copy (no photos) and the network is there,
 * wait briefly for the full one, so the page does not jump under the user's thumb when the photos arrive. */
function useFinding(id, revision) {
  const [state, setState] = useState({ finding: undefined, queued: [] });
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    let live = true;
    Promise.all([cache.get(id), outbox.forFinding(id)]).then(([finding, queued]) => live && setState({ finding, queued }));
    return () => { live = false; };
  }, [id, revision]);
  useEffect(() => {
    let live = true;
    setSettled(false);
    const settle = () => live && setSettled(true);
    const timer = setTimeout(settle, FRESH_WAIT_MS);
    cache.get(id).then((cached) => {
      if (cached?._local || !navigator.onLine) return settle(); // not on the server yet, or no network
      api.get(`findings/${id}`).then(async (fresh) => {
        if (live) setState((s) => ({ ...s, finding: fresh }));
        settle();
        await cache.put(fresh);
        bump();
      }, settle);
    });
    return () => { live = false; clearTimeout(timer); };
  }, [id]);
  const waiting = !settled && state.finding && !state.finding._local && !state.finding.photos;
  return { ...state, finding: waiting ? undefined : state.finding };
}

function History({ id, revision }) {
  const [events, setEvents] = useState(null);
  useEffect(() => {
    kv.get(`events:${id}`).then((cached) => cached && setEvents(cached));
    if (!navigator.onLine) return setEvents((e) => e || []);
    api.get(`findings/${id}/events`).then((body) => {
      setEvents(body.items);
      kv.set(`events:${id}`, body.items);
    }, () => setEvents((e) => e || []));
  }, [id, revision]);
  if (!events) return html`<p role="status">${t('loading')}</p>`;
  if (!events.length) return html`<p>${t('history_unavailable')}</p>`;
  return html`<ol class="history">
    ${events.map((e) => html`<li key=${e.id}>
      <strong>${t(e.action === 'report' ? 'new_finding' : `action_${e.action}`)}</strong>
      <span class="meta">${formatTime(e.received_at)} · ${e.actor?.display_name || ''}${e.to_state ? ` → ${t(`status_${e.to_state}`)}` : ''}</span>
      ${(e.payload?.comment || e.payload?.reason || e.payload?.text || e.payload?.measures) &&
        html`<span>${e.payload.comment || e.payload.reason || e.payload.text || e.payload.measures}</span>`}
    </li>`)}
  </ol>`;
}

function Zoom({ url, onClose }) {
  const closeRef = useRef();
  useEffect(() => closeRef.current?.focus(), []);
  return html`<div class="modal-backdrop zoom" onClick=${onClose}>
    <div class="modal" role="dialog" aria-modal="true" aria-label=${t('photos')} onKeyDown=${(e) => e.key === 'Escape' && onClose()}>
      <${AuthImg} url=${url} alt=${t('photos')} />
      <button type="button" ref=${closeRef} class="btn block" onClick=${onClose}>${t('close')}</button>
    </div>
  </div>`;
}

function PhotoColumn({ title, server, local, onZoom }) {
  return html`<div class="photo-col">
    <h3>${title}</h3>
    ${!server.length && !local.length && html`<p class="meta">${t('no_photos')}</p>`}
    <ul class="thumbs">
      ${server.map((p, i) => html`<li key=${p.id}>${p.urls?.thumb
        ? html`<button type="button" class="thumb-btn" onClick=${() => onZoom(p.urls.display)}><${AuthImg} url=${p.urls.thumb} alt=${t('photo_alt', { n: i + 1 })} /></button>`
        : html`<span class="img-missing">${t('photo_pending')}</span>`}</li>`)}
      ${local.map((p, i) => html`<li key=${p.id}><${AuthImg} blob=${p.blob} alt=${t('photo_alt', { n: server.length + i + 1 })} /><span class="badge queued">${t('status_queued')}</span></li>`)}
    </ul>
  </div>`;
}

export function Detail({ id, user }) {
  const { revision, lang } = useAppState();
  const { finding: f, queued } = useFinding(id, revision);
  const [action, setAction] = useState(null);
  const [notice, setNotice] = useState('');
  const [zoom, setZoom] = useState(null);

  if (f === undefined) return html`<p role="status">${t('loading')}</p>`;
  if (!f) return html`<p>${t('not_cached')}</p><a class="btn" href="#/">${t('back')}</a>`;

  const photos = f.photos || [];
  const localPhotos = queued.filter((i) => i.type === 'photo');
  const queuedActions = new Set(queued.filter((i) => i.type === 'event').map((i) => i.action));
  const actions = (f.allowed_actions || []).filter((a) => a === 'comment' || !queuedActions.has(a));
  const rows = [
    [t('number'), f.number || t('not_sent_yet')],
    [t('enterprise'), f.enterprise?.name],
    [t('category'), categoryName(f.category, lang)],
    [t('level'), t(`level_${f.level}`)],
    [t('deadline'), formatDate(f.deadline)],
    [t('major_basis'), f.major_basis && `${f.major_basis.title || f.major_basis.criterion} ${f.major_basis.clause}`],
    [t('address'), f.address],
    [t('location'), f.location && `${f.location.lat.toFixed(5)}, ${f.location.lng.toFixed(5)}${f.location.accuracy_m != null ? ` (±${t('metres', { m: Math.round(f.location.accuracy_m) })})` : ''}`],
    [t('reporter'), f.reported_by?.display_name],
    [t('observed_at'), formatTime(f.observed_at)],
    [t('rect_measures'), f.rectification?.measures],
  ].filter(([, v]) => v);

  return html`<article aria-labelledby="detail-title" data-finding-id=${f.id}>
    <a class="btn small ghost" href="#/"><span aria-hidden="true">← </span>${t('back')}</a>
    <h1 id="detail-title" class="h1">${f.title}</h1>
    <${Badges} finding=${f} />
    ${queued.length > 0 && html`<p class="banner info">${t('action_pending', { n: queued.length })}</p>`}
    ${f.description && html`<p class="desc">${f.description}</p>`}
    <dl class="facts">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>

    <section aria-labelledby="photos-title">
      <h2 id="photos-title">${t('photos')}</h2>
      <div class="side-by-side">
        <${PhotoColumn} title=${t('photos_before')} server=${photos.filter((p) => p.kind !== 'rectification')}
          local=${localPhotos.filter((p) => p.kind !== 'rectification')} onZoom=${setZoom} />
        <${PhotoColumn} title=${t('photos_after')} server=${photos.filter((p) => p.kind === 'rectification')}
          local=${localPhotos.filter((p) => p.kind === 'rectification')} onZoom=${setZoom} />
      </div>
      ${zoom && html`<${Zoom} url=${zoom} onClose=${() => setZoom(null)} />`}
    </section>

    <section aria-labelledby="actions-title">
      <h2 id="actions-title">${t('actions')}</h2>
      ${notice && html`<p class="banner ok" role="status">${notice}</p>`}
      ${actions.length === 0 && html`<p class="meta">${t('no_actions')}</p>`}
      ${!action && html`<div class="actions">
        ${actions.map((a) => html`<button type="button" class="btn" data-testid=${`action-${a}`} aria-expanded="false"
          onClick=${() => { setAction(a); setNotice(''); }}>${t(`action_${a}`)}</button>`)}
      </div>`}
      ${action && html`<${ActionForm} key=${action} finding=${f} action=${action} user=${user} chained=${queued.some((i) => i.type === 'event')}
        onDone=${() => { setAction(null); setNotice(t('action_queued')); }} onCancel=${() => setAction(null)} />`}
    </section>

    ${!f._local && html`<section aria-labelledby="history-title"><h2 id="history-title">${t('history')}</h2><${History} id=${f.id} revision=${revision} /></section>`}
  </article>`;
}
