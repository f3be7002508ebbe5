// Form fields the new-finding form and the action forms share. Which of them a form shows is decided in
// lib/forms.js; these only draw them.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { kv } from '../lib/services.js';
import { NATURES } from '../lib/forms.js';
import { categoryName } from './FindingList.js';

export const Field = ({ id, label, children, hint }) => html`<div class="field">
  <label for=${id}>${label}</label>${children}${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
</div>`;

/** The reference lists on the device (pulled at sign-in and on every "sync now"). */
export function useRefs() {
  const [refs, setRefs] = useState({ categories: [], criteria: [], enterprises: [] });
  useEffect(() => {
    Promise.all(['categories', 'criteria', 'enterprises'].map((k) => kv.get(`ref:${k}`))).then(([categories, criteria, enterprises]) =>
      setRefs({ categories: categories || [], criteria: criteria || [], enterprises: enterprises || [] }));
  }, []);
  return refs;
}

export function NatureField({ name = 'nature', value, onChange, required, testid }) {
  return html`<fieldset class="field" data-testid=${testid}>
    <legend>${t('nature')}${required ? '' : t('optional_suffix')}</legend>
    <div class="choices">
      ${NATURES.map((n) => html`<label class="check" key=${n}>
        <input type="radio" name=${name} value=${n} required=${required} checked=${value === n}
          onChange=${() => onChange?.(n)} /> ${t(`nature_${n}`)}</label>`)}
    </div>
  </fieldset>`;
}

export function LevelField({ id, value, onChange, label = 'level', hint, testid }) {
  return html`<${Field} id=${id} label=${t(label)} hint=${hint}>
    <select id=${id} name="level" value=${value} onChange=${(e) => onChange(e.currentTarget.value)} data-testid=${testid}>
      <option value="general">${t('level_general')}</option>
      <option value="major">${t('level_major')}</option>
    </select></${Field}>`;
}

export function CategoryField({ id, categories, lang, value, onChange, testid }) {
  return html`<${Field} id=${id} label=${t('category')}>
    <select id=${id} name="category" data-testid=${testid} required value=${value} onChange=${onChange && ((e) => onChange(e.currentTarget.value))}>
      <option value="">${t('choose')}</option>
      ${categories.map((c) => html`<option key=${c.code} value=${c.code}>${categoryName(c, lang)}</option>`)}
    </select></${Field}>`;
}

export function BasisFields({ idPrefix, criteria, required, testidPrefix }) {
  return html`<${Field} id=${`${idPrefix}-criterion`} label=${t('criterion')}>
      <select id=${`${idPrefix}-criterion`} name="criterion" data-testid=${testidPrefix && `${testidPrefix}-criterion`} required=${required}>
        <option value="">${t('choose')}</option>
        ${criteria.map((c) => html`<option value=${c.code}>${c.title} ${c.document_number || ''}</option>`)}
      </select></${Field}>
    <${Field} id=${`${idPrefix}-clause`} label=${t('clause')}>
      <input id=${`${idPrefix}-clause`} name="clause" data-testid=${testidPrefix && `${testidPrefix}-clause`} required=${required} maxlength="100" /></${Field}>`;
}

export function DateField({ id, name, label, value, min, max, required, hint, testid, onInput }) {
  return html`<${Field} id=${id} label=${label} hint=${hint}>
    <input id=${id} name=${name} type="date" value=${value} min=${min} max=${max} required=${required}
      aria-describedby=${hint ? `${id}-hint` : undefined} data-testid=${testid} onInput=${onInput} /></${Field}>`;
}

/** The save button: while photos are still being shrunk it says so ("正在处理照片 1/2…") and waits. */
export function SaveButton({ busy, label, testid, cls = 'btn primary block big' }) {
  return html`<button class=${cls} data-testid=${testid} disabled=${Boolean(busy)} aria-busy=${busy ? 'true' : 'false'}>
    ${busy || label}</button>`;
}
