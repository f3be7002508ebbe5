import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { api, kv } from '../lib/services.js';
import { formatTime } from '../lib/dates.js';
import { historyDetails, historyLabel } from '../lib/history.js';

const who = (e) => e.actor?.display_name || (e.role ? t(`role_${e.role}`) : '');

/** The finding's events, each labelled with what it did (lib/history.js); cached for offline reading. */
export function History({ id, revision }) {
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
  return html`<ol class="history" data-testid="history">
    ${events.map((e) => html`<li key=${e.id} data-action=${e.action}>
      <strong class="label">${historyLabel(e)}</strong>
      <span class="meta">${formatTime(e.received_at)} · ${who(e)}${e.to_state && e.to_state !== e.from_state ? ` → ${t(`status_${e.to_state}`)}` : ''}</span>
      ${historyDetails(e).map((line) => html`<span class="detail">${line}</span>`)}
    </li>`)}
  </ol>`;
}
