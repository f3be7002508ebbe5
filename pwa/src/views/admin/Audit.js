// 操作日志: every administrative change, newest first — who, when, what, and each field before → after.
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { ENTITIES, auditQuery, describeChange } from '../../lib/admin/audit.js';
import { formatTime } from '../../lib/dates.js';
import { Loading, Problem, SelectField, TextField, useFilteredPages } from './ui.js';

export function Audit() {
  const { filters, set, first, pages, more } = useFilteredPages({ entity: '', actor: '', key: '' }, auditQuery);
  return html`<section aria-labelledby="adm-title">
    <div class="admin-head"><h1 id="adm-title" class="h1">${t('adm_audit_list')}</h1></div>
    <div class="filters" role="search">
      <${SelectField} id="af-entity" name="entity" label=${t('adm_audit_entity')} value=${filters.entity} onChange=${set('entity')}
        options=${ENTITIES.map((e) => ({ value: e, label: t(`adm_entity_${e}`) }))} placeholder=${t('adm_all')} testid="audit-filter-entity" />
      <${TextField} id="af-actor" name="actor" label=${t('adm_audit_actor')} value=${filters.actor} onInput=${set('actor')} testid="audit-filter-actor" />
      <${TextField} id="af-key" name="key" label=${t('adm_audit_key')} value=${filters.key} onInput=${set('key')} testid="audit-filter-key" />
    </div>
    <${Problem} problem=${first.problem} />
    ${first.loading && !pages.items.length ? html`<${Loading} />` : !pages.items.length ? html`<p class="empty">${t('empty')}</p>` : html`
    <table class="grid-table audit" data-testid="audit-table">
      <thead><tr><th scope="col">${t('adm_audit_when')}</th><th scope="col">${t('adm_audit_who')}</th><th scope="col">${t('adm_audit_what')}</th>
        <th scope="col">${t('adm_audit_action')}</th><th scope="col">${t('adm_audit_change')}</th></tr></thead>
      <tbody>${pages.items.map((c) => {
        const d = describeChange(c);
        return html`<tr key=${c.id} data-testid="audit-row" data-entity=${c.entity} data-key=${c.key} data-action=${c.action}>
          <td data-label=${t('adm_audit_when')} class="nowrap">${formatTime(c.at)}</td>
          <td data-label=${t('adm_audit_who')}>${d.who}</td>
          <td data-label=${t('adm_audit_what')}>${d.entity}<span class="meta block code">${d.key}</span></td>
          <td data-label=${t('adm_audit_action')}>${d.action}</td>
          <td data-label=${t('adm_audit_change')}>
            ${d.lines.length ? html`<ul class="changes">${d.lines.map((l) => html`<li key=${l.field}>
              <span class="field-name">${l.label}</span>${t('adm_colon')}${l.before === null
                ? html`<span>${l.after}</span>` /* created: what it was made with */
                : html`<del>${l.before}</del><span aria-label=${t('adm_audit_to')}> → </span>${l.after === null ? html`<span class="meta">${t('adm_audit_gone')}</span>` : html`<ins>${l.after}</ins>`}`}
            </li>`)}</ul>` : '—'}
          </td>
        </tr>`;
      })}</tbody>
    </table>
    ${pages.cursor && html`<button type="button" class="btn block" data-testid="audit-more" onClick=${more}>${t('adm_more')}</button>`}`}
  </section>`;
}
