import { useEffect, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { kv } from '../../lib/services.js';
import { CAMPAIGNS_KEY } from '../../lib/inspection-refs.js';
import { campaignsFor } from '../../lib/inspection.js';
import { Field } from '../Fields.js';

/** The campaigns on the device that may fit an inspection (lib/inspection.js campaignsFor). */
export function useCampaigns({ checklistId, sector, on }) {
  const [all, setAll] = useState([]);
  useEffect(() => { kv.get(CAMPAIGNS_KEY).then((found) => setAll(found || [])); }, []);
  return checklistId ? campaignsFor(all, { checklistId, sector, on }) : [];
}

/** 专项行动: the campaign an inspection counts for, or none. Shown only when one may fit (or one is chosen). */
export function CampaignField({ id, campaigns, value, onChange }) {
  const shown = value && !campaigns.some((c) => c.id === value.id) ? [value, ...campaigns] : campaigns;
  if (!shown.length) return null;
  return html`<${Field} id=${id} label=${t('insp_campaign')} hint=${t('insp_campaign_hint')}>
    <select id=${id} data-testid="insp-campaign" value=${value?.id || ''} aria-describedby=${`${id}-hint`}
      onChange=${(e) => onChange(shown.find((c) => c.id === e.currentTarget.value) || null)}>
      <option value="">${t('insp_campaign_none')}</option>
      ${shown.map((c) => html`<option key=${c.id} value=${c.id}>${c.name}</option>`)}
    </select></${Field}>`;
}
