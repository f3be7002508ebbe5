import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { formatDate } from '../lib/dates.js';
import { daysLeft, isOpen } from '../lib/findings.js';

const name = (ref, lang) => (ref ? (lang === 'en' ? ref.name_en : ref.name_zh) || ref.name || ref.code : '');
export const categoryName = name;

export function Badges({ finding: f }) {
  const left = daysLeft(f);
  return html`<span class="badges">
    <span class=${`badge s-${f.status}`}>${t(`status_${f.status}`)}</span>
    ${f.level === 'major' && html`<span class="badge major">${t('level_major')}</span>`}
    ${f.supervision_level && html`<span class="badge listed" data-testid="listed-badge">${t('listed_badge', { level: t(`supervision_level_${f.supervision_level}`) })}</span>`}
    ${f.status === 'reported' && f.triage_days != null && html`<span class="badge due">${t('triage_days', { n: f.triage_days })}</span>`}
    ${f.overdue && html`<span class="badge overdue">${t('overdue_days', { n: f.days_overdue })}</span>`}
    ${!f.overdue && isOpen(f) && left != null && html`<span class="badge due">${left === 0 ? t('due_today') : t('days_left', { n: left })}</span>`}
    ${f.extension_pending && html`<span class="badge ext">${t('extension_pending')}</span>`}
    ${f.acknowledged && f.status === 'rectifying' && html`<span class="badge ok">${t('acknowledged')}</span>`}
  </span>`;
}

const PAGE = 30;

export function FindingList({ findings, pending = new Set(), refused = new Set(), lang }) {
  const [shown, setShown] = useState(PAGE);
  if (!findings.length) return html`<p class="empty" data-testid="finding-list-empty">${t('empty')}</p>`;
  return html`<ul class="list" data-testid="finding-list">
    ${findings.slice(0, shown).map(
      (f) => html`<li key=${f.id} data-testid="finding-item" data-finding-id=${f.id}>
        <a href=${`#/f/${f.id}`}>
          <strong class="title">${f.title}</strong>
          <span class="meta">${[f.enterprise?.name || f.area?.name, name(f.category, lang)].filter(Boolean).join(' · ')}</span>
          <span class="meta">${f.number || t('not_sent_yet')}${f.deadline ? ` · ${t('deadline_short', { date: formatDate(f.deadline) })}` : ''}</span>
          <${Badges} finding=${f} />
          ${pending.has(f.id) && !f._local && html`<span class="badge queued">${t('status_queued')}</span>`}
          ${refused.has(f.id) && html`<span class="badge overdue" data-testid="refused-badge">${t('badge_refused')}</span>`}
        </a>
      </li>`,
    )}
  </ul>
  ${findings.length > shown && html`<button type="button" class="btn block" data-testid="show-more" onClick=${() => setShown(shown + PAGE)}>
    ${t('show_more', { n: findings.length - shown })}</button>`}`;
}
