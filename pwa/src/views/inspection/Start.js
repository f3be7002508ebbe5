import { useEffect, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { useAppState } from '../../lib/store.js';
import { api, kv } from '../../lib/services.js';
import { todayLocal } from '../../lib/dates.js';
import { newId } from '../../lib/compose.js';
import { CHECKLISTS_KEY, pullChecklists } from '../../lib/inspection-refs.js';
import { checklistsFor, newDraft } from '../../lib/inspection.js';
import { saveDraft } from '../../lib/inspection-drafts.js';
import { go } from '../../lib/router.js';
import { EnterprisePicker } from '../EnterprisePicker.js';
import { DateField, Field, SaveButton } from '../Fields.js';
import { CampaignField, useCampaigns } from './Campaign.js';

/** The checklists on the device; online and with none there yet, fetched now. */
function useChecklists(online) {
  const [lists, setLists] = useState(null);
  useEffect(() => {
    let live = true;
    kv.get(CHECKLISTS_KEY).then(async (cached) => {
      if (cached?.length || !online) return live && setLists(cached || []);
      const fetched = await pullChecklists({ api, kv }).catch(() => []);
      if (live) setLists(fetched);
    });
    return () => { live = false; };
  }, [online]);
  return lists;
}

function ChecklistOption({ c, value, onChange }) {
  return html`<li><label class="option" data-testid="insp-checklist-option" data-checklist-id=${c.id}>
    <input type="radio" name="checklist" value=${c.id} checked=${value?.id === c.id} required onChange=${() => onChange(c)} />
    <span class="name">${c.name}</span>
    <span class="meta">${t('insp_checklist_items', { n: (c.items || []).length })}</span>
  </label></li>`;
}

function ChecklistPicker({ lists, enterprise, value, onChange }) {
  if (lists === null) return html`<p role="status">${t('insp_checklist_loading')}</p>`;
  if (!lists.length) return html`<p class="banner info" data-testid="insp-no-checklists">${t('insp_checklist_none')}</p>`;
  const { fitting, others } = checklistsFor(lists, enterprise?.sector);
  const group = (title, list) => list.length > 0 && html`<p class="meta">${title}</p>
    <ul class="options">${list.map((c) => html`<${ChecklistOption} key=${c.id} c=${c} value=${value} onChange=${onChange} />`)}</ul>`;
  return html`<fieldset class="field picker">
    <legend>${t('insp_checklist')}</legend>
    ${group(t('insp_checklist_fitting'), fitting)}
    ${group(fitting.length ? t('insp_checklist_others') : '', others)}
  </fieldset>`;
}

/** Start an inspection: where, which checklist, enforcement or not and with whom. Only what the server can check
 * is asked: the second officer by username (it refuses one it does not know, and the draft can be corrected). */
export function Start({ user }) {
  const { online, position } = useAppState();
  const today = todayLocal();
  const lists = useChecklists(online);
  const [enterprise, setEnterprise] = useState(null);
  const [checklist, setChecklist] = useState(null);
  const [enforcement, setEnforcement] = useState(true);
  const [on, setOn] = useState(today);
  const [campaign, setCampaign] = useState(null);
  const campaigns = useCampaigns({ checklistId: checklist?.id, sector: enterprise?.sector, on });
  const chosenCampaign = campaign && campaigns.some((c) => c.id === campaign.id) ? campaign : null;
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');

  async function start(event) {
    event.preventDefault();
    if (busy) return;
    const form = new FormData(event.currentTarget);
    if (!enterprise) return setError(t('insp_choose_enterprise'));
    if (!checklist) return setError(t('insp_choose_checklist'));
    setBusy(t('saving'));
    const draft = newDraft({
      id: newId(), user, enterprise, checklist, campaign: chosenCampaign, enforcement,
      coInspector: form.get('co_inspector'), inspectedOn: on || today, now: new Date(),
    });
    await saveDraft(draft);
    go(`#/inspection/${draft.id}`);
  }

  return html`<form class="insp-start" onSubmit=${start} aria-labelledby="insp-start-title">
    <a class="btn small ghost" href="#/inspection"><span aria-hidden="true">← </span>${t('back')}</a>
    <h1 id="insp-start-title" class="h1">${t('insp_new')}</h1>
    <${EnterprisePicker} id="insp-enterprise" label=${t('insp_enterprise')} value=${enterprise}
      onChange=${(e) => { setEnterprise(e); setError(''); }} near=${position} required />
    <${ChecklistPicker} lists=${lists} enterprise=${enterprise} value=${checklist} onChange=${(c) => { setChecklist(c); setError(''); }} />
    <${DateField} id="insp-date" name="inspected_on" label=${t('insp_date')} value=${on} max=${today} required testid="insp-date"
      onInput=${(e) => setOn(e.currentTarget.value)} />
    <${CampaignField} id="insp-campaign" campaigns=${campaigns} value=${chosenCampaign} onChange=${setCampaign} />
    <label class="check field"><input type="checkbox" checked=${enforcement} data-testid="insp-enforcement"
      onChange=${(e) => setEnforcement(e.currentTarget.checked)} /> ${t('insp_enforcement')}</label>
    <${Field} id="insp-co" label=${`${t('insp_co_inspector')}${enforcement ? '' : t('optional_suffix')}`} hint=${t('insp_co_hint')}>
      <input id="insp-co" name="co_inspector" required=${enforcement} autocomplete="off" autocapitalize="none" spellcheck="false"
        maxlength="80" data-testid="insp-co-inspector" aria-describedby="insp-co-hint" /></${Field}>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <${SaveButton} busy=${busy} label=${t('insp_start')} testid="insp-start" />
  </form>`;
}
