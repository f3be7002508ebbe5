// Categories (隐患类别) and major-hazard criteria (重大事故隐患判定标准): the forms' fields and the bodies sent —
// whole to create, only what changed to edit (a code never changes: old findings hold it).

const CODE = /^[a-z0-9_-]{1,40}$/;
const text = (v) => String(v ?? '').trim();

export const CATEGORY_FIELDS = [
  { name: 'code', label: 'adm_ref_code', required: true, create: true },
  { name: 'name_zh', label: 'adm_cat_name_zh', required: true },
  { name: 'name_en', label: 'adm_cat_name_en', required: true },
  { name: 'sort_order', label: 'adm_ref_sort_order' },
  { name: 'active', label: 'adm_ref_active' },
];

export const CRITERION_FIELDS = [
  { name: 'code', label: 'adm_ref_code', required: true, create: true },
  { name: 'title', label: 'adm_crit_title', required: true },
  { name: 'issuing_body', label: 'adm_crit_issuing_body' },
  { name: 'document_number', label: 'adm_crit_document_number' },
  { name: 'effective_on', label: 'adm_crit_effective_on' },
  { name: 'repealed_on', label: 'adm_crit_repealed_on' },
  { name: 'sort_order', label: 'adm_ref_sort_order' },
  { name: 'active', label: 'adm_ref_active' },
];

export const fieldsFor = (kind, creating) => (kind === 'categories' ? CATEGORY_FIELDS : CRITERION_FIELDS).filter((f) => creating || !f.create);

export function referenceValues(kind, item = {}) {
  const values = { code: item.code || '', sort_order: item.sort_order == null ? '' : String(item.sort_order), active: item.active !== false };
  if (kind === 'categories') return { ...values, name_zh: item.name_zh || '', name_en: item.name_en || '' };
  return {
    ...values,
    title: item.title || '',
    issuing_body: item.issuing_body || '',
    document_number: item.document_number || '',
    effective_on: item.effective_on || '',
    repealed_on: item.repealed_on || '',
  };
}

export function referenceProblems(kind, values, { creating = false } = {}) {
  const problems = {};
  for (const f of fieldsFor(kind, creating)) if (f.required && !text(values[f.name])) problems[f.name] = ['adm_required'];
  if (creating && !problems.code && !CODE.test(text(values.code))) problems.code = ['adm_code_shape'];
  if (text(values.sort_order) && !/^\d+$/.test(text(values.sort_order))) problems.sort_order = ['adm_not_number'];
  if (kind === 'criteria' && text(values.effective_on) && text(values.repealed_on) && text(values.repealed_on) <= text(values.effective_on)) {
    problems.repealed_on = ['adm_repealed_after'];
  }
  return problems;
}

function bodyOf(kind, values) {
  const body = { active: values.active !== false };
  if (text(values.sort_order)) body.sort_order = Number(text(values.sort_order));
  if (kind === 'categories') return { ...body, name_zh: text(values.name_zh), name_en: text(values.name_en) };
  return {
    ...body,
    title: text(values.title),
    issuing_body: text(values.issuing_body),
    document_number: text(values.document_number),
    effective_on: text(values.effective_on) || null,
    repealed_on: text(values.repealed_on) || null,
  };
}

export function referencePayload(kind, values, original = null) {
  const body = bodyOf(kind, values);
  if (!original) {
    const created = { code: text(values.code), ...body };
    for (const key of ['effective_on', 'repealed_on']) if (created[key] === null) delete created[key];
    return created;
  }
  const before = bodyOf(kind, referenceValues(kind, original));
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => value !== before[key]));
}
