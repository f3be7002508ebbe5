// What each event in a finding's history did, said the way the people on it say it: "延期申请 → 2027-01-14",
// "批准延期至 2027-01-10", "期限 2027-01-14 → 2026-12-31". Dates stay ISO: they are what was decided, exactly.
import { t } from '../i18n/index.js';

const LEVELS = new Set(['street', 'district', 'city']);

const LABELS = {
  report: () => t('h_report'),
  confirm: () => t('action_confirm'),
  acknowledge: () => t('action_acknowledge'),
  submit_plan: () => t('h_submit_plan'),
  request_extension: (p) => (p.new_deadline ? t('h_request_extension', { date: p.new_deadline }) : t('action_request_extension')),
  decide_extension: (p) => {
    if (!p.approved) return t('h_extension_refused');
    const date = p.granted_deadline || p.deadline_change?.to;
    return date ? t('h_extension_granted', { date }) : t('h_extension_granted_plain');
  },
  submit_rectification: () => t('action_submit_rectification'),
  approve: () => t('action_approve'),
  reject: () => t('action_reject'),
  void: () => t('action_void'),
  reopen: () => t('action_reopen'),
  comment: () => t('action_comment'),
  photo_added: () => t('h_photo_added'),
  list_supervision: (p) => t('h_list_supervision', { level: p.level ? t(`supervision_level_${p.level}`) : '', document_no: p.document_no || '' }),
  // the deadline job (the 系统 actor): an overdue finding climbs the area tree
  escalate: (p) => t('h_escalate', { n: p.days_overdue ?? '', level: LEVELS.has(p.level) ? t(`esc_level_${p.level}`) : p.level || '' }),
};

export function historyLabel(event) {
  const label = LABELS[event.action];
  return label ? label(event.payload || {}) : event.action;
}

/** The lines under the label: the deadline's move, a request this event settled, what was written. */
export function historyDetails(event) {
  const p = event.payload || {};
  const lines = [];
  const change = p.deadline_change;
  if (change?.to) lines.push(change.from ? t('h_deadline_change', { from: change.from, to: change.to }) : t('h_deadline_set', { to: change.to }));
  const settled = p.extension_settled;
  if (settled?.status) lines.push(t(`h_extension_${settled.status}`, { date: settled.requested_deadline || '' }));
  if (event.action === 'photo_added' && p.kind) lines.push(t(`kind_${p.kind}`));
  if (event.action === 'approve' && p.on_site) lines.push(t('on_site'));
  if (p.off_site_reason) lines.push(t('h_off_site_reason', { reason: p.off_site_reason }));
  if (p.delisted) lines.push(t('h_delisted', { document_no: p.delisted.document_no || '' })); // 摘牌, by the approval
  for (const text of [p.reason, p.comment, p.text, p.measures]) if (text) lines.push(text);
  if (event.action === 'list_supervision') lines.push(...[p.authority, p.leader, p.lead_department].filter(Boolean));
  return lines;
}
