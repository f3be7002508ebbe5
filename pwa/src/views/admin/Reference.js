// 隐患类别 and 判定标准: the lists (retired ones too), a form to create or edit one. A criterion carries its
// issuing body, document number, effective and repealed dates; whether a new major finding may cite it today
// is the server's `citable`.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t, getLang } from '../../i18n/index.js';
import { go } from '../../lib/router.js';
import { href } from '../../lib/admin/nav.js';
import { patch, post, reference } from '../../lib/admin/client.js';
import { fieldsFor, referencePayload, referenceProblems, referenceValues } from '../../lib/admin/reference.js';
import { formatDate } from '../../lib/dates.js';
import { CheckField, FormErrors, Loading, Note, Problem, StatusBadge, TextField, setNote, useLoad, useRecordForm } from './ui.js';

function criterionState(c) {
  if (c.active === false) return { cls: 'inactive', text: t('adm_crit_superseded') };
  if (c.citable) return { cls: 'ok', text: t('adm_crit_citable') };
  if (c.repealed_on) return { cls: 'inactive', text: t('adm_crit_repealed') };
  return { cls: 'due', text: t('adm_crit_not_yet') };
}

export function ReferenceList({ kind }) {
  const list = useLoad(() => reference(kind, { reload: true }), [kind]);
  const items = list.data || [];
  const isCat = kind === 'categories';
  return html`<section aria-labelledby="adm-title">
    <div class="admin-head">
      <h1 id="adm-title" class="h1">${t(`adm_${kind}_list`)}</h1>
      <a class="btn primary small" href=${href(kind, 'new')} data-testid=${`${kind}-new`}>${t(isCat ? 'adm_cat_new' : 'adm_crit_new')}</a>
    </div>
    <${Note} />
    <${Problem} problem=${list.problem} />
    ${list.loading && !list.data ? html`<${Loading} />` : isCat ? html`
    <table class="grid-table" data-testid="categories-table">
      <thead><tr><th scope="col">${t('adm_ref_code')}</th><th scope="col">${t('adm_cat_name_zh')}</th><th scope="col">${t('adm_cat_name_en')}</th>
        <th scope="col">${t('adm_ref_sort_order')}</th><th scope="col">${t('adm_status')}</th><th scope="col"><span class="sr-only">${t('adm_actions')}</span></th></tr></thead>
      <tbody>${items.map((c) => html`<tr key=${c.code} data-testid="category-row" data-code=${c.code} class=${c.active === false ? 'inactive' : ''}>
        <td data-label=${t('adm_ref_code')} class="code">${c.code}</td><td data-label=${t('adm_cat_name_zh')}>${c.name_zh}</td>
        <td data-label=${t('adm_cat_name_en')} lang="en">${c.name_en}</td><td data-label=${t('adm_ref_sort_order')} class="num">${c.sort_order ?? ''}</td>
        <td data-label=${t('adm_status')}><${StatusBadge} active=${c.active} /></td>
        <td class="actions-cell"><a class="btn small" href=${href(kind, 'edit', c.code)} data-testid="category-edit">${t('adm_edit')}</a></td>
      </tr>`)}</tbody>
    </table>` : html`
    <table class="grid-table" data-testid="criteria-table">
      <thead><tr><th scope="col">${t('adm_crit_title')}</th><th scope="col">${t('adm_crit_issuing_body')}</th><th scope="col">${t('adm_crit_document_number')}</th>
        <th scope="col">${t('adm_crit_effective_on')}</th><th scope="col">${t('adm_crit_repealed_on')}</th><th scope="col">${t('adm_status')}</th>
        <th scope="col"><span class="sr-only">${t('adm_actions')}</span></th></tr></thead>
      <tbody>${items.map((c) => {
        const state = criterionState(c);
        return html`<tr key=${c.code} data-testid="criterion-row" data-code=${c.code} class=${state.cls === 'inactive' ? 'inactive' : ''}>
          <td data-label=${t('adm_crit_title')}><strong>${c.title}</strong><span class="meta block code">${c.code}</span></td>
          <td data-label=${t('adm_crit_issuing_body')}>${c.issuing_body || '—'}</td>
          <td data-label=${t('adm_crit_document_number')}>${c.document_number || '—'}</td>
          <td data-label=${t('adm_crit_effective_on')} class="nowrap">${c.effective_on ? formatDate(c.effective_on) : '—'}</td>
          <td data-label=${t('adm_crit_repealed_on')} class="nowrap">${c.repealed_on ? formatDate(c.repealed_on) : '—'}</td>
          <td data-label=${t('adm_status')}><span class=${`badge ${state.cls}`}>${state.text}</span></td>
          <td class="actions-cell"><a class="btn small" href=${href(kind, 'edit', c.code)} data-testid="criterion-edit">${t('adm_edit')}</a></td>
        </tr>`;
      })}</tbody>
    </table>`}
  </section>`;
}

export function ReferenceForm({ kind, code }) {
  const creating = !code;
  const record = useLoad(async () => {
    if (creating) return null;
    const found = (await reference(kind)).find((x) => x.code === code);
    if (!found) throw Object.assign(new Error('not found'), { status: 404, code: 'not_found' });
    return found;
  }, [kind, code]);
  const [values, setValues] = useState(referenceValues(kind));
  const { errors, problem, setProblem, busy, refusedHere, sending } = useRecordForm();
  useEffect(() => {
    if (record.data) setValues(referenceValues(kind, record.data));
  }, [record.data]);
  const fields = fieldsFor(kind, creating);
  const set = (name) => (value) => setValues((v) => ({ ...v, [name]: value }));

  async function submit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    setProblem(null);
    if (refusedHere(form, referenceProblems(kind, values, { creating }))) return;
    const body = referencePayload(kind, values, creating ? null : record.data);
    if (!creating && !Object.keys(body).length) {
      go(href(kind));
      return;
    }
    await sending(form, fields, async () => {
      const saved = creating ? await post(kind, body) : await patch(`${kind}/${encodeURIComponent(code)}`, body);
      await reference(kind, { reload: true });
      const name = kind === 'categories' ? (getLang() === 'en' ? saved.name_en : saved.name_zh) : saved.title;
      setNote(t(creating ? 'adm_ref_created' : 'adm_ref_saved', { name }));
      go(href(kind));
    });
  }

  if (!creating && record.loading) return html`<${Loading} />`;
  if (!creating && record.problem) return html`<${Problem} problem=${record.problem} />`;
  const isCat = kind === 'categories';
  return html`<section aria-labelledby="adm-title">
    <div class="admin-head">
      <h1 id="adm-title" class="h1">${t(`adm_${kind}_${creating ? 'new' : 'edit'}`)}${creating ? '' : ` · ${code}`}</h1>
    </div>
    <form class="admin-form card" onSubmit=${submit} novalidate data-testid=${`${kind}-form`}>
      <${Problem} problem=${problem} testid="form-problem" />
      <${FormErrors} errors=${errors} />
      <div class="form-grid">
        ${fields.map((f) => {
          const id = `ref-${f.name}`;
          const errs = errors?.byField?.[f.name];
          if (f.name === 'active') {
            return html`<${CheckField} id=${id} name="active" label=${t(isCat ? 'adm_cat_active' : 'adm_crit_active')} checked=${values.active} onChange=${set('active')}
              hint=${t(isCat ? 'adm_cat_active_hint' : 'adm_crit_active_hint')} />`;
          }
          const date = f.name === 'effective_on' || f.name === 'repealed_on';
          return html`<${TextField} key=${f.name} id=${id} name=${f.name} label=${t(f.label)} required=${f.required} value=${values[f.name]}
            onInput=${set(f.name)} errors=${errs} type=${date ? 'date' : 'text'} wide=${f.name === 'title'}
            inputmode=${f.name === 'sort_order' ? 'numeric' : undefined} lang=${f.name === 'name_en' ? 'en' : undefined}
            hint=${f.name === 'code' ? t('adm_code_hint') : f.name === 'repealed_on' ? t('adm_crit_repealed_hint') : undefined} />`;
        })}
      </div>
      <div class="form-actions">
        <button class="btn primary" data-testid=${`${kind}-save`} disabled=${busy}>${busy ? t('saving') : t('adm_save')}</button>
        <a class="btn ghost" href=${href(kind)}>${t('cancel')}</a>
      </div>
    </form>
  </section>`;
}
