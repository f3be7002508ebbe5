// 消息发送: the email and group-robot deliveries as an admin reads them — when, to whom, by which channel, how
// it stands, how often it was tried, when it is tried next, and why the last attempt failed (the server's own
// words, shown as they are). A failed one can be sent again; the row then shows it queued.
import { t, hasMessage } from '../../i18n/index.js';
import { formatTime } from '../dates.js';
import { codeOf, describeProblem } from '../errors.js';

export const STATUSES = ['failed', 'queued', 'sent'];
export const DEFAULT_STATUS = 'failed'; // what an admin opens the screen for
export const CHANNELS = ['email', 'webhook'];

const named = (prefix, code) => (code && hasMessage(`${prefix}${code}`) ? t(`${prefix}${code}`) : code || '—');

/** 失败 · 待发送 · 已发送; a code this build does not know is shown as it is. */
export const statusLabel = (status) => named('dlv_status_', status);
/** 邮件 · 群机器人. */
export const channelLabel = (channel) => named('dlv_channel_', channel);

/** The list's path: one status ('' for all), newest first, keyset paged. */
export function deliveriesQuery({ status = DEFAULT_STATUS } = {}, cursor = null, limit = 50) {
  const params = new URLSearchParams({ limit: String(limit) });
  if (status) params.set('status', status);
  if (cursor) params.set('cursor', cursor);
  return `admin/deliveries?${params}`;
}

export const retryPath = (id) => `admin/deliveries/${encodeURIComponent(id)}/retry`;

/** The status filter's choices, all of them last. */
export const statusOptions = () => [...STATUSES.map((s) => ({ value: s, label: statusLabel(s) })), { value: '', label: t('adm_all') }];

/** What the list says when a status has nothing in it. */
export const emptyText = (status) => t(STATUSES.includes(status) ? `dlv_empty_${status}` : 'dlv_empty_all');

/** One delivery as its row shows it; times in Asia/Shanghai. The next attempt means something only for a queued
 * one; the reason is the last failure's, kept after a retry until the next attempt. */
export function describeDelivery(d) {
  return {
    id: d.id,
    when: formatTime(d.created_at),
    recipient: d.recipient || '—',
    channel: channelLabel(d.channel),
    status: statusLabel(d.status),
    sentAt: d.status === 'sent' && d.sent_at ? formatTime(d.sent_at) : '',
    attempts: Number.isFinite(d.attempts) ? String(d.attempts) : '—',
    next: d.status === 'queued' && d.next_attempt_at ? formatTime(d.next_attempt_at) : '—',
    reason: d.last_error || '',
    title: d.title || t('dlv_untitled'),
    findingHref: d.finding_id ? `#/f/${d.finding_id}` : '',
    canRetry: d.status === 'failed',
  };
}

/** The listed rows with those the admin changed here (a retry's answer) in their place. */
export const withUpdates = (items, updates) => items.map((row) => updates[row.id] || row);

const TONES = { failed: 'major', queued: 'due', sent: 'ok' };
/** The badge class of a status: red for failed, amber for queued, green for sent. */
export const statusTone = (status) => `badge ${TONES[status] || ''}`.trim();

// A retry refused because the row changed meanwhile (someone sent it again, or it is gone): said about the message,
// not in the words for a finding; the list is then read again (`reload`).
const RETRY_REFUSALS = { invalid_transition: 'dlv_retry_not_failed', conflict: 'dlv_retry_not_failed', not_found: 'dlv_retry_gone' };

/** A refused retry → { problem (for the banner), reload (read the list again) }. */
export function retryProblem(problem = {}) {
  const described = describeProblem(problem);
  const key = RETRY_REFUSALS[codeOf(problem)];
  return key ? { problem: { ...described, headline: t(key) }, reload: true } : { problem: described, reload: false };
}
