import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t, hasMessage } from '../../i18n/index.js';
import { useAppState } from '../../lib/store.js';
import { todayLocal } from '../../lib/dates.js';
import { newId } from '../../lib/compose.js';
import { stillShrinking } from '../../lib/picked.js';
import { RESULTS, answer, isMajorItem, majorClause, moveTo, nextOpen, progress, setFinding, setNote } from '../../lib/inspection.js';
import { go } from '../../lib/router.js';
import { PhotoPicker } from '../Photos.js';
import { DateField, Field, useRefs } from '../Fields.js';
import { categoryName } from '../FindingList.js';

const now = () => new Date();
const methodName = (m) => (hasMessage(`insp_method_${m}`) ? t(`insp_method_${m}`) : m || '');
const categoryOf = (item, categories, lang) => {
  const code = typeof item.category === 'object' ? item.category?.code : item.category;
  const found = categories.find((c) => c.code === code) || (typeof item.category === 'object' ? item.category : null);
  return found ? categoryName(found, lang) : code || '';
};

/** The photos of one failed item as the picker wants them: those on the draft (ready), or the picker's own list
 * while some are still being shrunk. */
const asEntries = (photos) => photos.map((p) => ({ ...p, state: 'ready' }));
const stored = (entries) => entries.filter((e) => e.state === 'ready').map(({ id, blob, width, height }) => ({ id, blob, width, height }));
const sameIds = (a, b) => a.length === b.length && a.every((p, i) => p.id === b[i].id);

function Progress({ draft, at }) {
  const p = progress(draft);
  return html`<div class="insp-progress">
    <span class="meta" data-testid="insp-progress" aria-label=${t('insp_progress_label', { done: p.answered, total: p.total })}>
      ${t('insp_progress', { done: p.answered, total: p.total })}</span>
    <progress max=${p.total} value=${p.answered} aria-hidden="true"></progress>
    <span class="meta">${t('insp_item_n', { n: at + 1, total: p.total })}</span>
  </div>`;
}

function FailFields({ item, result, today, entries, onPhotos, update }) {
  const f = result.finding;
  const { lang } = useAppState();
  const refs = useRefs();
  const category = categoryOf(item, refs.categories, lang);
  const patch = (p, soon) => update((d) => setFinding(d, item.id, p, now()), { soon });
  return html`<div class="card insp-fail-card" data-testid="insp-fail-fields">
    <p class="hint">${t('insp_fail_hint')}</p>
    ${category && html`<p class="meta" data-testid="insp-fail-category">${t('insp_category', { name: category })}</p>`}
    <${Field} id="insp-fail-title" label=${t('insp_fail_title')}>
      <input id="insp-fail-title" value=${f.title} maxlength="200" required data-testid="insp-fail-title"
        onInput=${(e) => patch({ title: e.currentTarget.value }, true)} onBlur=${() => update((d) => d)} /></${Field}>
    <${DateField} id="insp-fail-deadline" label=${t('insp_fail_deadline')} value=${f.deadline} min=${today} required
      testid="insp-fail-deadline" onInput=${(e) => patch({ deadline: e.currentTarget.value })} />
    <${PhotoPicker} id="insp-fail-photos" photos=${entries} onChange=${onPhotos} testid="insp-photo-input" label=${t('insp_fail_photos')} />
  </div>`;
}

/** One item per screen, walked one-handed: the content and its basis on top, the three answers in a bar at the
 * bottom of the screen where the thumb is. A pass or n.a. moves on to the next open item; a fail stays for its
 * title, deadline and photos. Every answer is saved on the device at once. */
export function Walk({ draft, update }) {
  const today = todayLocal();
  const items = draft.checklist.items;
  const at = Math.min(draft.at, items.length - 1);
  const item = items[at];
  const result = draft.results[item.id] || { note: '' };
  const [picked, setPicked] = useState({}); // finding id → the picker's entries, shrinking ones included
  const heading = useRef();
  useEffect(() => heading.current?.focus({ preventScroll: true }), [at]);

  // every photo once shrunk goes into the draft (so a reload keeps it); the ones still shrinking wait here
  useEffect(() => {
    for (const [findingId, entries] of Object.entries(picked)) {
      const [itemId, r] = Object.entries(draft.results).find(([, x]) => x.finding?.id === findingId) || [];
      if (r && !sameIds(stored(entries), r.finding.photos)) update((d) => setFinding(d, itemId, { photos: stored(entries) }, now()));
    }
  }, [picked]);

  const shrinking = Object.values(picked).some((entries) => stillShrinking(entries) > 0);
  const move = (i) => update((d) => moveTo(d, i, now()));

  function choose(value) {
    let done = false;
    update((d) => {
      const answered = answer(d, item.id, value, { today, newId, now: now() });
      if (value === 'fail') return answered;
      const next = nextOpen(answered, at);
      done = next === -1;
      return done ? answered : moveTo(answered, next, now());
    });
    if (done && !shrinking) go(`#/inspection/${draft.id}/review`);
  }

  const findingId = result.finding?.id;
  const entries = findingId ? picked[findingId] || asEntries(result.finding.photos) : [];
  const onPhotos = (next) => setPicked((all) => {
    const current = all[findingId] || asEntries(result.finding.photos);
    return { ...all, [findingId]: typeof next === 'function' ? next(current) : next };
  });

  return html`<section class="insp-walk" aria-labelledby="insp-item-title" data-testid="insp-walk" data-at=${at}>
    <div class="insp-top">
      <a class="btn small ghost" href="#/inspection"><span aria-hidden="true">← </span>${t('insp_title')}</a>
      <span class="insp-where">${draft.enterprise.name}</span>
    </div>
    <${Progress} draft=${draft} at=${at} />
    <article class="card insp-item" data-testid="insp-item" data-item-id=${item.id} data-result=${result.result || ''}>
      <p class="meta">${methodName(item.method)}</p>
      <h1 id="insp-item-title" class="insp-content" tabindex="-1" ref=${heading}>${item.content}</h1>
      ${isMajorItem(item) && html`<p class="insp-major"><span class="badge major">${t('insp_major')}</span>
        ${majorClause(item) && html` <span class="meta">${[item.major_basis?.title, majorClause(item)].filter(Boolean).join(' ')}</span>`}</p>
        <p class="hint">${t('insp_major_hint')}</p>`}
      ${item.basis && html`<p class="meta insp-basis">${t('insp_basis', { basis: item.basis })}</p>`}
    </article>
    ${result.result === 'fail' && html`<${FailFields} key=${item.id} item=${item} result=${result} today=${today}
      entries=${entries} onPhotos=${onPhotos} update=${update} />`}
    ${result.result && html`<${Field} id="insp-note" label=${t(result.result === 'fail' ? 'insp_note_fail' : 'insp_note') + (result.result === 'fail' ? '' : t('optional_suffix'))}>
      <textarea id="insp-note" key=${item.id} rows="2" maxlength="2000" data-testid="insp-note" value=${result.note || ''}
        onInput=${(e) => update((d) => setNote(d, item.id, e.currentTarget.value, now()), { soon: true })} /></${Field}>`}
    ${shrinking && html`<p class="hint" role="status">${t('insp_photos_busy')}</p>`}
    <nav class="insp-nav" aria-label=${t('insp_result')}>
      <button type="button" class="btn small" disabled=${at === 0} data-testid="insp-prev" onClick=${() => move(at - 1)}>
        <span aria-hidden="true">‹ </span>${t('insp_prev')}</button>
      <a class="btn small" href=${`#/inspection/${draft.id}/review`} data-testid="insp-review" aria-disabled=${shrinking ? 'true' : 'false'}
        onClick=${(e) => shrinking && e.preventDefault()}>${t('insp_review')}</a>
      <button type="button" class="btn small" disabled=${at === items.length - 1} data-testid="insp-next" onClick=${() => move(at + 1)}>
        ${t('insp_next')}<span aria-hidden="true"> ›</span></button>
    </nav>
    <div class="insp-answer" role="group" aria-label=${t('insp_result')}>
      ${RESULTS.map((value) => html`<button type="button" key=${value} class=${`btn insp-${value}`} aria-pressed=${result.result === value ? 'true' : 'false'}
        data-testid=${`insp-${value}`} onClick=${() => choose(value)}>${t(`insp_${value}`)}</button>`)}
    </div>
  </section>`;
}
