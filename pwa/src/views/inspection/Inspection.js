// The inspections (issue 14): #/inspection lists the drafts and what was sent, #/inspection/new starts one,
// #/inspection/<id> walks its items, #/inspection/<id>/review shows it whole and sends it. One lazy chunk with its
// strings; it works offline like the rest (the checklists are on the device, lib/inspection-refs.js).
import '../../i18n/inspection.js';
import './inspection.css';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { InspectionList } from './List.js';
import { Start } from './Start.js';
import { Walk } from './Walk.js';
import { Review } from './Review.js';
import { useDraft } from './useDraft.js';

function Draft({ user, id, review }) {
  const [draft, update, flush] = useDraft(user, id);
  if (draft === undefined) return html`<p role="status">${t('loading')}</p>`;
  if (!draft || draft.status !== 'draft') {
    return html`<p>${t('insp_not_found')}</p><a class="btn" href="#/inspection">${t('insp_title')}</a>`;
  }
  return review
    ? html`<${Review} user=${user} draft=${draft} update=${update} flush=${flush} />`
    : html`<${Walk} user=${user} draft=${draft} update=${update} flush=${flush} />`;
}

export function Inspection({ route, user }) {
  const [, id, sub] = route;
  if (!id) return html`<${InspectionList} user=${user} />`;
  if (id === 'new') return html`<${Start} user=${user} />`;
  return html`<${Draft} key=${id} user=${user} id=${id} review=${sub === 'review'} />`;
}
