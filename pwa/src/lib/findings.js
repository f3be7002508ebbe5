// What the lists need to know about a finding: urgency, badges, the queues a supervisor works through.
import { daysBetween, todayLocal } from './dates.js';

export const isOpen = (f) => f.status === 'reported' || f.status === 'rectifying' || f.status === 'queued';

export function daysLeft(f, today = todayLocal()) {
  return f.deadline ? daysBetween(today, f.deadline) : null;
}

/** Overdue first (most overdue first), then the fewest days left, then the rest by last change. */
export function byUrgency(a, b) {
  const rank = (f) => (f.overdue ? 0 : isOpen(f) ? 1 : f.status === 'pending_review' ? 2 : 3);
  const diff = rank(a) - rank(b);
  if (diff) return diff;
  if (a.overdue) return (b.days_overdue || 0) - (a.days_overdue || 0);
  const da = daysLeft(a) ?? 1e9;
  const db = daysLeft(b) ?? 1e9;
  if (rank(a) === 1 && da !== db) return da - db;
  return (b.updated_at || '').localeCompare(a.updated_at || '');
}

export const byRecent = (a, b) =>
  (b._local ? 1 : 0) - (a._local ? 1 : 0) || (b.updated_at || '').localeCompare(a.updated_at || '');

export const QUEUES = {
  todo: (f) => f.status === 'reported' || f.status === 'pending_review' || f.extension_pending || f.overdue,
  triage: (f) => f.status === 'reported',
  review: (f) => f.status === 'pending_review',
  extension: (f) => f.extension_pending,
  overdue: (f) => f.overdue,
  all: () => true,
};

/** Triage: the report waiting longest first (triage_days from the server, else the oldest received). */
export const byWaiting = (a, b) =>
  (b.triage_days ?? 0) - (a.triage_days ?? 0) || (a.received_at || a.updated_at || '').localeCompare(b.received_at || b.updated_at || '');
