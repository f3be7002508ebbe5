// 企业: the register, searchable; a form to create or edit one, with the server's objections beside each field;
// deactivate and activate.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t, getLang } from '../../i18n/index.js';
import { go } from '../../lib/router.js';
import { href } from '../../lib/admin/nav.js';
import { get, patch, post, reference, remember, enterpriseById } from '../../lib/admin/client.js';
import { ENTERPRISE_FIELDS, SCALES, enterprisePayload, enterpriseProblems, enterpriseValues } from '../../lib/admin/enterprise.js';
import { ActiveToggle, AreaPicker, FormErrors, Loading, Note, Problem, SelectField, StatusBadge, TextField, setNote, useLoad, useRecordForm } from './ui.js';

const PAGE = 50;
const sectorName = (sectors, code) => {
  const s = sectors.find((x) => x.code === code);
  return s ? (getLang() === 'en' ? s.name_en : s.name_zh) : code || '';
};

export function EnterpriseList() {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [inactive, setInactive] = useState(true);
  const [pages, setPages] = useState({ items: [], more: false });
  const sectors = useLoad(() => reference('sectors'), []);
  const first = useLoad(async () => {
    const body = await get(`enterprises?limit=${PAGE}&include_inactive=${inactive}${query ? `&q=${encodeURIComponent(query)}` : ''}`);
    return body.items || [];
  }, [query, inactive]);
  useEffect(() => {
    if (first.data) setPages({ items: first.data, more: first.data.length === PAGE });
  }, [first.data]);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), 300);
    return () => clearTimeout(timer);
  }, [q]);

  async function more() {
    const last = pages.items[pages.items.length - 1];
    const body = await get(`enterprises?limit=${PAGE}&include_inactive=${inactive}&after_id=${last.id}${query ? `&q=${encodeURIComponent(query)}` : ''}`);
    setPages({ items: [...pages.items, ...(body.items || [])], more: (body.items || []).length === PAGE });
  }

  const list = sectors.data || [];
  return html`<section aria-labelledby="adm-title">
    <div class="admin-head">
      <h1 id="adm-title" class="h1">${t('adm_enterprises_list')}</h1>
      <div class="row">
        <a class="btn primary small" href=${href('enterprises', 'new')} data-testid="enterprise-new">${t('adm_ent_new')}</a>
        <a class="btn small" href=${href('enterprises', 'import')} data-testid="enterprise-import">${t('adm_import_title')}</a>
      </div>
    </div>
    <${Note} />
    <div class="filters" role="search">
      <div class="field grow"><label for="ent-q">${t('adm_search')}</label>
        <input id="ent-q" type="search" value=${q} placeholder=${t('enterprise_search')} data-testid="enterprise-q" onInput=${(e) => setQ(e.currentTarget.value)} /></div>
      <label class="check"><input type="checkbox" checked=${inactive} onChange=${(e) => setInactive(e.currentTarget.checked)} />${t('adm_show_inactive')}</label>
    </div>
    <${Problem} problem=${first.problem} />
    ${first.loading && !pages.items.length ? html`<${Loading} />` : !pages.items.length ? html`<p class="empty">${t('empty')}</p>` : html`
    <table class="grid-table" data-testid="enterprise-table">
      <thead><tr>
        <th scope="col">${t('adm_ent_name')}</th><th scope="col">${t('adm_ent_credit_code')}</th><th scope="col">${t('adm_ent_area')}</th>
        <th scope="col">${t('adm_ent_sector')}</th><th scope="col">${t('adm_ent_contact')}</th><th scope="col">${t('adm_status')}</th>
        <th scope="col"><span class="sr-only">${t('adm_actions')}</span></th>
      </tr></thead>
      <tbody>
        ${pages.items.map((e) => html`<tr key=${e.id} data-testid="enterprise-row" data-enterprise-id=${e.id} data-credit-code=${e.credit_code} class=${e.active === false ? 'inactive' : ''}>
          <td data-label=${t('adm_ent_name')}><strong>${e.name}</strong></td>
          <td data-label=${t('adm_ent_credit_code')} class="code">${e.credit_code}</td>
          <td data-label=${t('adm_ent_area')}>${e.area?.name || ''}<span class="meta block">${e.area?.code || ''}</span></td>
          <td data-label=${t('adm_ent_sector')}>${sectorName(list, e.sector)}</td>
          <td data-label=${t('adm_ent_contact')}>${e.contact_name || ''}<span class="meta block">${e.contact_phone || ''}</span></td>
          <td data-label=${t('adm_status')}><${StatusBadge} active=${e.active} /></td>
          <td class="actions-cell"><a class="btn small" href=${href('enterprises', 'edit', e.id)} data-testid="enterprise-edit"
            onClick=${() => remember('enterprise', e)}>${t('adm_edit')}</a></td>
        </tr>`)}
      </tbody>
    </table>
    ${pages.more && html`<button type="button" class="btn block" data-testid="enterprise-more" onClick=${more}>${t('adm_more')}</button>`}`}
  </section>`;
}

const FORM_ID = 'ent';

export function EnterpriseForm({ id }) {
  const creating = !id;
  const areas = useLoad(() => reference('areas'), []);
  const sectors = useLoad(() => reference('sectors'), []);
  const record = useLoad(() => (creating ? null : enterpriseById(id)), [id]);
  const [values, setValues] = useState(enterpriseValues());
  const { errors, err, problem, setProblem, busy, refusedHere, sending, acting } = useRecordForm();
  useEffect(() => {
    if (record.data) setValues(enterpriseValues(record.data));
  }, [record.data]);
  const byCode = useMemo(() => (areas.data ? new Map(areas.data.map((a) => [a.code, a])) : null), [areas.data]);

  const set = (name) => (value) => setValues((v) => ({ ...v, [name]: value }));

  async function submit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    setProblem(null);
    if (refusedHere(form, enterpriseProblems(values, { areas: byCode }))) return;
    const body = enterprisePayload(values, creating ? null : record.data);
    if (!creating && !Object.keys(body).length) {
      go(href('enterprises'));
      return;
    }
    await sending(form, ENTERPRISE_FIELDS, async () => {
      const saved = creating ? await post('enterprises', body) : await patch(`enterprises/${id}`, body);
      remember('enterprise', saved);
      setNote(t(creating ? 'adm_ent_created' : 'adm_ent_saved', { name: saved.name }));
      go(href('enterprises'));
    });
  }

  const setActive = (active) => acting(async () => {
    const saved = await patch(`enterprises/${id}`, { active });
    remember('enterprise', saved);
    setNote(t(active ? 'adm_ent_activated' : 'adm_ent_deactivated', { name: saved.name }));
    go(href('enterprises'));
  });

  if (!creating && record.loading) return html`<${Loading} />`;
  if (!creating && record.problem) return html`<${Problem} problem=${record.problem} />`;
  const sectorOptions = (sectors.data || []).map((s) => ({ value: s.code, label: getLang() === 'en' ? s.name_en : s.name_zh }));
  const f = (name) => ENTERPRISE_FIELDS.find((x) => x.name === name);
  const text = (name, extra = {}) => html`<${TextField} id=${`${FORM_ID}-${name}`} name=${name} label=${t(f(name).label)} required=${f(name).required}
    value=${values[name]} onInput=${set(name)} errors=${err(name)} ...${extra} />`;
  return html`<section aria-labelledby="adm-title">
    <div class="admin-head">
      <h1 id="adm-title" class="h1">${t(creating ? 'adm_enterprises_new' : 'adm_enterprises_edit')}</h1>
      ${!creating && record.data && html`<${StatusBadge} active=${record.data.active} />`}
    </div>
    <form class="admin-form card" onSubmit=${submit} novalidate data-testid="enterprise-form">
      <${Problem} problem=${problem} testid="form-problem" />
      <${FormErrors} errors=${errors} />
      <div class="form-grid">
        ${text('name', { wide: true, autocomplete: 'organization' })}
        ${text('credit_code', { hint: t('adm_credit_hint'), autocapitalize: 'characters', spellcheck: false, class: 'code' })}
        <${AreaPicker} id=${`${FORM_ID}-area`} label=${t('adm_ent_area')} required value=${values.area} onChange=${set('area')}
          areas=${areas.data || []} levels=${['street', 'community', 'grid']} errors=${err('area')} hint=${t('adm_ent_area_hint')} />
        <${SelectField} id=${`${FORM_ID}-sector`} name="sector" label=${t('adm_ent_sector')} required value=${values.sector} onChange=${set('sector')}
          options=${sectorOptions} placeholder=${t('choose')} errors=${err('sector')} />
        <${SelectField} id=${`${FORM_ID}-scale`} name="scale" label=${t('adm_ent_scale')} value=${values.scale} onChange=${set('scale')}
          options=${SCALES.map((s) => ({ value: s, label: t(`adm_scale_${s}`) }))} placeholder=${t('adm_none')} errors=${err('scale')} />
        ${text('address', { wide: true })}
        ${text('lng', { inputmode: 'decimal', hint: t('adm_coord_hint') })}
        ${text('lat', { inputmode: 'decimal' })}
        ${text('contact_name')}
        ${text('contact_phone', { type: 'tel', inputmode: 'tel' })}
      </div>
      <div class="form-actions">
        <button class="btn primary" data-testid="enterprise-save" disabled=${busy}>${busy ? t('saving') : t('adm_save')}</button>
        <a class="btn ghost" href=${href('enterprises')}>${t('cancel')}</a>
        ${!creating && record.data && html`<${ActiveToggle} active=${record.data.active} confirm=${t('adm_ent_deactivate_q')} testid="enterprise" busy=${busy} onSet=${setActive} />`}
      </div>
    </form>
  </section>`;
}
