// What became of one save (issue 10: say what happened). The items a save queued are followed by their seqs:
// gone from the outbox = the server took them all; set aside = refused; still pending = not sent yet, and
// whether that is for want of a network or of a server that answers is said apart.

/** → { state: 'sent' | 'refused' | 'sending' | 'queued_offline' | 'queued_retry', problem? } */
export function outcomeOf(seqs, items, { online = true, syncing = false } = {}) {
  const mine = items.filter((item) => seqs.includes(item.seq));
  if (!mine.length) return { state: 'sent' };
  const refused = mine.find((item) => item.state === 'attention');
  if (refused) return { state: 'refused', problem: refused.problem || {} };
  if (!online) return { state: 'queued_offline' };
  return { state: syncing ? 'sending' : 'queued_retry' };
}

/** Counts for the sync bar: a set-aside item is not "waiting to send"; it waits for the user. */
export function countsOf(items) {
  const attention = items.filter((item) => item.state === 'attention').length;
  return { unsent: items.length - attention, attention };
}
