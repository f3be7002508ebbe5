import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState } from '../lib/store.js';
import { api, kv } from '../lib/services.js';
import { searchEnterprises } from '../lib/enterprises.js';

const SEARCH_DELAY_MS = 250;

const distance = (m) => (m == null || !Number.isFinite(m) ? '' : m < 1000 ? t('metres', { m: Math.round(m) }) : t('km', { km: (m / 1000).toFixed(1) }));

/** Search by name or credit code, nearest to `near` first; the chosen one stays on top whatever the search.
 * A radio group, so the form's own `required` applies and the choice is one tap on a phone. */
export function EnterprisePicker({ id, value, onChange, near, required, label, hint }) {
  const { online } = useAppState();
  const [q, setQ] = useState('');
  const [result, setResult] = useState({ items: [], source: 'cache' });
  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      const cached = (await kv.get('ref:enterprises')) || [];
      const found = await searchEnterprises({ api, cached, q, near, online });
      if (live) setResult(found);
    }, q ? SEARCH_DELAY_MS : 0);
    return () => { live = false; clearTimeout(timer); };
  }, [q, near?.lat, near?.lng, online]);
  const shown = value ? [value, ...result.items.filter((e) => e.id !== value.id)] : result.items;
  return html`<fieldset class="field picker" aria-describedby=${`${id}-hint`}>
    <legend>${label}${required ? '' : t('optional_suffix')}</legend>
    <input id=${`${id}-q`} type="search" class="search" value=${q} placeholder=${t('enterprise_search')} aria-label=${t('enterprise_search')}
      data-testid="enterprise-search" onInput=${(e) => setQ(e.currentTarget.value)} />
    <p id=${`${id}-hint`} class="hint">${hint || (near ? t('enterprise_nearest') : t('enterprise_no_location'))}${result.source === 'cache' ? ` · ${t('enterprise_cached')}` : ''}</p>
    ${!shown.length && html`<p class="meta">${t('enterprise_none')}</p>`}
    <ul class="options">
      ${shown.map((e) => html`<li key=${e.id}>
        <label class="option" data-testid="enterprise-option" data-enterprise-id=${e.id}>
          <input type="radio" name=${id} value=${e.id} checked=${value?.id === e.id} required=${required}
            onChange=${() => onChange(e)} />
          <span class="name">${e.name}</span>
          <span class="meta">${[e.credit_code, distance(e.distance_m)].filter(Boolean).join(' · ')}</span>
        </label>
      </li>`)}
    </ul>
    ${value && !required && html`<button type="button" class="btn small ghost" onClick=${() => onChange(null)}>${t('enterprise_clear')}</button>`}
  </fieldset>`;
}
