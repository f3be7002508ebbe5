// What the detail view shows of what was decided (issue 10: show what is decided on): the plan's six elements,
// the extension requests, and the rectification rounds each with its own photos and review.
import { PLAN_ELEMENTS } from './compose.js';

export const EXTENSION_STATUSES = ['pending', 'approved', 'refused', 'withdrawn', 'lapsed'];

/** The plan, element by element; an element left empty (a plan from the old five-element form) is `missing`. */
export function planRows(plan) {
  if (!plan) return [];
  return PLAN_ELEMENTS.map((name) => {
    const value = plan[name] == null ? '' : String(plan[name]).trim();
    return { name, value, missing: value === '' };
  });
}

export const evidencePhotos = (finding) => (finding.photos || []).filter((p) => p.kind !== 'rectification');

/** The rounds, oldest first, each with its photos. A server without `rounds` gave one rectification and one
 * review: shown as round 1, so the view has one shape to draw. */
export function roundsOf(finding) {
  const photos = finding.photos || [];
  const after = photos.filter((p) => p.kind === 'rectification');
  if (Array.isArray(finding.rounds)) {
    return finding.rounds.map((round) => {
      const ids = new Set(round.photo_ids || []);
      const own = after.filter((p) => ids.has(p.id) || p.round === round.round);
      return { ...round, photos: own };
    });
  }
  if (!finding.rectification) return [];
  const review = finding.review && finding.status !== 'pending_review' ? { ...finding.review, result: finding.status === 'closed' ? 'approved' : 'rejected' } : null;
  return [{ round: 1, ...finding.rectification, photos: after, review }];
}

/** After-photos that belong to no round yet (queued ones are shown by the caller). */
export function looseAfterPhotos(finding, rounds) {
  const placed = new Set(rounds.flatMap((r) => r.photos.map((p) => p.id)));
  return (finding.photos || []).filter((p) => p.kind === 'rectification' && !placed.has(p.id));
}
