// A refusal in the user's language. The server's `message` is English and meant for developers: it is kept as a
// detail line, never the headline. The headline comes from the error `code` (SPEC §5), or the HTTP status when a
// box in between answered without our JSON, or the kind of failure when no answer came at all.
import { t } from '../i18n/index.js';

export const ERROR_CODES = [
  'validation_error', 'bad_request', 'unauthorized', 'forbidden', 'not_found', 'method_not_allowed', 'conflict',
  'stale', 'invalid_transition', 'invalid_cursor', 'photos_missing', 'unsupported_media_type', 'payload_too_large',
  'rate_limited', 'internal_error', 'network', 'timeout', 'password_change_required', 'csrf_failed',
  'invalid_credentials', 'uri_too_long',
];

const BY_STATUS = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
  409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'validation_error', 429: 'rate_limited',
};

/** The code a problem is shown by: the server's if we know it, else one from the status. */
export function codeOf(problem = {}) {
  if (ERROR_CODES.includes(problem.code)) return problem.code;
  if (BY_STATUS[problem.status]) return BY_STATUS[problem.status];
  if (problem.status >= 500) return 'internal_error';
  return problem.status ? 'unknown' : 'network';
}

/** A thrown error (fetch's TypeError, AbortSignal.timeout's TimeoutError, an ApiError) as a problem. */
export function problemFromError(error) {
  if (error?.name === 'TimeoutError') return { code: 'timeout' };
  if (error?.status) return { status: error.status, code: error.code, message: error.body?.error?.message, fields: error.body?.error?.fields };
  return { code: 'network', message: error?.message };
}

// The server's field names → the labels the forms show them under.
const FIELD_LABELS = {
  title: 'title', description: 'description', category: 'category', level: 'level', nature: 'nature',
  enterprise_id: 'enterprise', deadline: 'deadline', new_deadline: 'new_deadline', granted_deadline: 'granted_deadline',
  major_basis: 'major_basis', criterion: 'criterion', clause: 'clause', location: 'location', address: 'address',
  rectify_mode: 'rectify_mode', measures: 'rect_measures', completed_on: 'completed_on', photo_ids: 'photos',
  reason: 'reason', comment: 'comment', text: 'text', on_site: 'on_site', observed_at: 'observed_at',
  plan: 'plan', objective: 'plan_objective', funds: 'plan_funds', responsible: 'plan_responsible',
  time_limit: 'plan_time_limit', contingency: 'plan_contingency',
  off_site_reason: 'off_site_reason', authority: 'authority', document_no: 'document_no', leader: 'leader',
  lead_department: 'lead_department', public: 'public',
};

/** Names the fields a 422 complained about ("plan.time_limit" is shown as the time limit). */
export function fieldNames(fields) {
  if (!fields || typeof fields !== 'object') return [];
  return Object.keys(fields).map((name) => {
    const last = name.split('.').pop();
    return FIELD_LABELS[last] ? t(FIELD_LABELS[last]) : name;
  });
}

/** → { code, headline, fields: [labels], detail } for a problem {status, code, message, fields}. */
export function describeProblem(problem = {}) {
  const code = codeOf(problem);
  const fields = fieldNames(problem.fields);
  return {
    code,
    headline: t(`error_${code}`),
    fields,
    detail: [problem.status, problem.code, problem.message].filter(Boolean).join(' · '),
  };
}
