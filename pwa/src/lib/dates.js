// Dates as the users live them: Asia/Shanghai, whatever the phone's zone.
import { getLang } from '../i18n/index.js';

const ZONE = 'Asia/Shanghai';
const DAY = 86_400_000;
const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Shanghai, as YYYY-MM-DD. */
export const todayLocal = (now = new Date()) => isoDay.format(now);

export function addDays(isoDate, days) {
  const d = new Date(`${isoDate}T00:00:00Z`);
  return new Date(d.getTime() + days * DAY).toISOString().slice(0, 10);
}

export function daysBetween(fromIso, toIso) {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / DAY);
}

export function formatDate(isoDate) {
  if (!isoDate) return '';
  return new Intl.DateTimeFormat(getLang(), { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

export function formatTime(instant) {
  if (!instant) return '';
  return new Intl.DateTimeFormat(getLang(), { timeZone: ZONE, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(instant));
}

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "HH:MM" in Shanghai; with the date in front when it is not today ("2030-01-02 09:05"). */
export function formatClock(instant, now = new Date()) {
  if (!instant) return '';
  const at = new Date(instant);
  const day = todayLocal(at);
  return day === todayLocal(now) ? clock.format(at) : `${day} ${clock.format(at)}`;
}
