// 挂牌督办 on a finding's detail: the listing (level, authority, 文号, leader, public, lead department), its term
// (the finding's deadline: only an approved extension moves it) and, once approved, when it was delisted (摘牌).
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { formatTime } from '../lib/dates.js';

export function Supervision({ finding: f }) {
  const s = f.supervision;
  if (!s) return null;
  const listed = s.status === 'listed';
  return html`<section aria-labelledby="supervision-title" data-testid="supervision" data-status=${s.status}
    class=${`card supervision ${listed ? 'listed' : 'delisted'}`}>
    <h2 id="supervision-title">${t('supervision_title')}
      <span class=${`badge ${listed ? 'listed' : 'ok'}`}>${t(`supervision_status_${s.status}`)}</span></h2>
    <dl class="facts">
      <div><dt>${t('supervision_level')}</dt><dd>${t(`supervision_level_${s.level}`)}</dd></div>
      <div><dt>${t('document_no')}</dt><dd data-testid="supervision-document-no">${s.document_no}</dd></div>
      <div><dt>${t('authority')}</dt><dd>${s.authority}</dd></div>
      <div><dt>${t('leader')}</dt><dd>${s.leader}</dd></div>
      ${s.lead_department && html`<div><dt>${t('supervision_lead')}</dt><dd>${s.lead_department}</dd></div>`}
      <div><dt>${t('public')}</dt><dd>${t(s.public ? 'public_yes' : 'public_no')}</dd></div>
      ${listed && f.deadline && html`<div><dt>${t('supervision_term')}</dt><dd>${f.deadline}</dd></div>`}
      <div><dt>${t('supervision_listed_at')}</dt><dd>${formatTime(s.listed_at)}</dd></div>
      ${s.delisted_at && html`<div><dt>${t('supervision_delisted_at')}</dt><dd>${formatTime(s.delisted_at)}</dd></div>`}
    </dl>
  </section>`;
}
