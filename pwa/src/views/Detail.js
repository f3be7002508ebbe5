import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState, bump } from '../lib/store.js';
import { api, cache, outbox } from '../lib/services.js';
import { formatTime } from '../lib/dates.js';
import { describeProblem } from '../lib/errors.js';
import { evidencePhotos, looseAfterPhotos, roundsOf } from '../lib/present.js';
import { Badges, categoryName } from './FindingList.js';
import { AuthImg } from './Photos.js';
import { ActionForm } from './ActionForm.js';
import { History } from './History.js';
import { Extensions, Plan, Rounds } from './Decided.js';
import { Supervision } from './Supervision.js';

const FRESH_WAIT_MS = 2000;

/** The cached finding at once; when the cache has only the list's copy (no photos) and the network is there,
 * wait briefly for the full one, so the page does not jump under the user's thumb when the photos arrive.
 * When a pull brings a newer list copy (someone acted), the full finding is fetched again: the plan, the
 * extensions and the rounds are only in the full one. */
function useFinding(id, revision) {
  const [state, setState] = useState({ finding: undefined, queued: [] });
  const [settled, setSettled] = useState(false);
  const fetched = useRef(null); // updated_at of the full copy last fetched
  const fetchFull = () =>
    api.get(`findings/${id}`).then(async (fresh) => {
      fetched.current = fresh.updated_at;
      await cache.put(fresh);
      bump();
      return fresh;
    });
  useEffect(() => {
    let live = true;
    Promise.all([cache.get(id), outbox.forFinding(id)]).then(([finding, queued]) => live && setState({ finding, queued }));
    return () => { live = false; };
  }, [id, revision]);
  useEffect(() => {
    let live = true;
    setSettled(false);
    fetched.current = null;
    const settle = () => live && setSettled(true);
    const timer = setTimeout(settle, FRESH_WAIT_MS);
    cache.get(id).then((cached) => {
      if (cached?._local || !navigator.onLine) return settle(); // not on the server yet, or no network
      fetchFull().then((fresh) => {
        if (live) setState((s) => ({ ...s, finding: fresh }));
        settle();
      }, settle);
    });
    return () => { live = false; clearTimeout(timer); };
  }, [id]);
  const seen = state.finding?.updated_at;
  useEffect(() => {
    if (!seen || fetched.current === null || seen <= fetched.current || state.finding._local || !navigator.onLine) return;
    fetched.current = seen; // once per change, even if this fetch fails
    fetchFull().catch(() => {});
  }, [seen]);
  const waiting = !settled && state.finding && !state.finding._local && !state.finding.photos;
  return { ...state, finding: waiting ? undefined : state.finding };
}

/** The photos of one group (evidence, a round, or not sent yet), each opening large. */
function PhotoList({ photos, local = [], onZoom }) {
  if (!photos.length && !local.length) return html`<p class="meta">${t('no_photos')}</p>`;
  return html`<ul class="thumbs">
    ${photos.map((p, i) => html`<li key=${p.id}>${p.urls?.thumb
      ? html`<button type="button" class="thumb-btn" onClick=${() => onZoom(p.urls.display)}><${AuthImg} url=${p.urls.thumb} alt=${t('photo_alt', { n: i + 1 })} /></button>`
      : html`<span class="img-missing">${t('photo_pending')}</span>`}</li>`)}
    ${local.map((p, i) => html`<li key=${p.id}><${AuthImg} blob=${p.blob} alt=${t('photo_alt', { n: photos.length + i + 1 })} /><span class="badge queued">${t('status_queued')}</span></li>`)}
  </ul>`;
}

/** What became of the user's last save on this finding (lib/outcome.js), in their language. */
function Outcome({ outcome }) {
  if (outcome.state === 'refused') {
    const problem = describeProblem(outcome.problem);
    return html`<div class="banner refused" role="alert" data-testid="outcome" data-state="refused">
      <strong>${t('outcome_refused', { why: problem.headline })}</strong>
      ${problem.fields.length > 0 && html`<span>${t('problem_fields', { fields: problem.fields.join(t('list_sep')) })}</span>`}
      <a href="#/attention">${t('outcome_see_attention')}</a>
      <small class="detail">${problem.detail}</small>
    </div>`;
  }
  return html`<p class=${`banner ${outcome.state === 'sent' ? 'ok' : 'info'}`} role="status" data-testid="outcome" data-state=${outcome.state}>
    ${t(`outcome_${outcome.state}`)}</p>`;
}

const reporterName = (r) => (r ? r.display_name || t('reporter_hidden', { role: t(`role_${r.role}`), unit: r.unit || '' }) : '');

function facts(f, lang) {
  return [
    [t('number'), f.number || t('not_sent_yet')],
    [t('enterprise'), f.enterprise?.name],
    [t('category'), categoryName(f.category, lang)],
    [t('level'), t(`level_${f.level}`)],
    [t('nature'), f.nature && t(`nature_${f.nature}`)],
    [t('deadline'), f.deadline],
    [t('major_basis'), f.major_basis && `${f.major_basis.title || f.major_basis.criterion} ${f.major_basis.clause}`],
    [t('address'), f.address],
    [t('location'), f.location && `${f.location.lat.toFixed(5)}, ${f.location.lng.toFixed(5)}${f.location.accuracy_m != null ? ` (±${t('metres', { m: Math.round(f.location.accuracy_m) })})` : ''}`],
    [t('reporter'), reporterName(f.reported_by)],
    [t('observed_at'), formatTime(f.observed_at)],
    [t('void_reason'), f.status === 'voided' && f.void_reason],
    [t('reopen_reason'), f.reopen_reason],
  ].filter(([, v]) => v);
}

export function Detail({ id, user }) {
  const { revision, lang, outcome } = useAppState();
  const { finding: f, queued } = useFinding(id, revision);
  const [action, setAction] = useState(null);
  const [zoom, setZoom] = useState(null);

  if (f === undefined) return html`<p role="status">${t('loading')}</p>`;
  if (!f) return html`<p>${t('not_cached')}</p><a class="btn" href="#/">${t('back')}</a>`;

  const localPhotos = queued.filter((i) => i.type === 'photo');
  const queuedActions = new Set(queued.filter((i) => i.type === 'event').map((i) => i.action));
  const actions = (f.allowed_actions || []).filter((a) => a === 'comment' || !queuedActions.has(a));
  const rounds = roundsOf(f);
  const loose = looseAfterPhotos(f, rounds);
  const localAfter = localPhotos.filter((p) => p.kind === 'rectification');

  return html`<article aria-labelledby="detail-title" data-finding-id=${f.id}>
    <a class="btn small ghost" href="#/"><span aria-hidden="true">← </span>${t('back')}</a>
    <h1 id="detail-title" class="h1">${f.title}</h1>
    <${Badges} finding=${f} />
    ${outcome?.findingId === f.id && outcome.kind === 'create' && html`<${Outcome} outcome=${outcome} />`}
    ${queued.length > 0 && html`<p class="banner info">${t('action_pending', { n: queued.length })}</p>`}
    ${f.status === 'pending_review' && f.missing_photos?.length > 0 && html`<p class="banner info" data-testid="photos-owed">
      ${t('photos_owed', { n: f.missing_photos.length })}</p>`}
    ${f.description && html`<p class="desc">${f.description}</p>`}
    <dl class="facts">${facts(f, lang).map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
    <${Supervision} finding=${f} />

    <section aria-labelledby="photos-title">
      <h2 id="photos-title">${t('photos_before')}</h2>
      <${PhotoList} photos=${evidencePhotos(f)} local=${localPhotos.filter((p) => p.kind !== 'rectification')} onZoom=${setZoom} />
    </section>
    <${Plan} finding=${f} />
    <${Extensions} finding=${f} />
    <${Rounds} finding=${f} renderPhotos=${(photos) => html`<${PhotoList} photos=${photos} onZoom=${setZoom} />`} />
    ${(loose.length > 0 || localAfter.length > 0) && html`<section aria-labelledby="after-title">
      <h2 id="after-title">${t('photos_after_unplaced')}</h2>
      <${PhotoList} photos=${loose} local=${localAfter} onZoom=${setZoom} />
    </section>`}
    ${zoom && html`<${Zoom} url=${zoom} onClose=${() => setZoom(null)} />`}

    <section aria-labelledby="actions-title">
      <h2 id="actions-title">${t('actions')}</h2>
      ${outcome?.findingId === f.id && outcome.kind !== 'create' && html`<${Outcome} outcome=${outcome} />`}
      ${actions.length === 0 && html`<p class="meta">${t('no_actions')}</p>`}
      ${!action && html`<div class="actions">
        ${actions.map((a) => html`<button type="button" class="btn" data-testid=${`action-${a}`} aria-expanded="false"
          onClick=${() => setAction(a)}>${t(`action_${a}`)}</button>`)}
      </div>`}
      ${action && html`<${ActionForm} key=${action} finding=${f} action=${action} user=${user} chained=${queued.some((i) => i.type === 'event')}
        onDone=${() => setAction(null)} onCancel=${() => setAction(null)} />`}
    </section>

    ${!f._local && html`<section aria-labelledby="history-title"><h2 id="history-title">${t('history')}</h2><${History} id=${f.id} revision=${revision} /></section>`}
  </article>`;
}
