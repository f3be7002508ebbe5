import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { api } from '../lib/services.js';
import { useAppState } from '../lib/store.js';
import { describeProblem, problemFromError } from '../lib/errors.js';
import { fieldErrors, formOf, payloadOf, toggle } from '../lib/notice-settings.js';

/** The user's notification channels (GET/PUT /me/settings): an email address and the channels the server offers;
 * in-app is shown as always on. Online only: a setting changed offline could not be checked by the server. */
export function NoticeSettings() {
  const { online } = useAppState();
  const [form, setForm] = useState(null);
  const [status, setStatus] = useState({ state: 'idle', errors: {}, problem: '' }); // idle | saving | saved | failed
  const [loadProblem, setLoadProblem] = useState('');

  useEffect(() => {
    if (!online || form) return;
    api.get('me/settings').then((s) => { setForm(formOf(s)); setLoadProblem(''); },
      (error) => setLoadProblem(describeProblem(problemFromError(error)).headline));
  }, [online]);

  const edit = (patch) => {
    setForm((f) => ({ ...f, ...patch }));
    if (status.state !== 'saving') setStatus({ state: 'idle', errors: {}, problem: '' });
  };

  async function save(event) {
    event.preventDefault();
    setStatus({ state: 'saving', errors: {}, problem: '' });
    try {
      const saved = await api.request('me/settings', { method: 'PUT', json: payloadOf(form) });
      setForm(formOf(saved));
      setStatus({ state: 'saved', errors: {}, problem: '' });
    } catch (error) {
      const problem = problemFromError(error);
      const errors = problem.status === 422 ? fieldErrors(problem.fields, form) : {};
      setStatus({ state: 'failed', errors, problem: Object.keys(errors).length ? '' : describeProblem(problem).headline });
    }
  }

  const { errors } = status;
  return html`<section aria-labelledby="settings-title" class="notice-settings" data-testid="notice-settings">
    <a class="btn small ghost" href="#/inbox"><span aria-hidden="true">← </span>${t('back')}</a>
    <h1 id="settings-title" class="h1">${t('settings_title')}</h1>
    ${!online && !form && html`<p class="banner info" data-testid="settings-offline">${t('settings_offline')}</p>`}
    ${loadProblem && html`<p class="error" role="alert">${t('settings_load_failed', { why: loadProblem })}</p>`}
    ${online && !form && !loadProblem && html`<p role="status">${t('loading')}</p>`}
    ${form && html`<form onSubmit=${save} novalidate>
      <p>${t('settings_intro')}</p>
      <div class=${errors.email ? 'field invalid' : 'field'}>
        <label for="settings-email">${t('settings_email')}</label>
        <input id="settings-email" type="email" inputmode="email" autocomplete="email" maxlength="254" value=${form.email}
          data-testid="settings-email" aria-invalid=${errors.email ? 'true' : 'false'}
          aria-describedby=${errors.email ? 'settings-email-error settings-email-hint' : 'settings-email-hint'}
          onInput=${(e) => edit({ email: e.currentTarget.value })} />
        <p class="hint" id="settings-email-hint">${t('settings_email_hint')}</p>
        ${errors.email && html`<p class="field-error" id="settings-email-error" data-testid="settings-email-error">${errors.email}</p>`}
      </div>
      <fieldset class=${errors.channels ? 'field invalid' : 'field'} data-testid="settings-channels">
        <legend>${t('settings_channels')}</legend>
        <label class="check"><input type="checkbox" checked disabled /> ${t('settings_channel_in_app')}</label>
        ${form.offered.map((c) => html`<label class="check" key=${c}>
          <input type="checkbox" data-testid=${`settings-channel-${c}`} checked=${form.channels.includes(c)}
            onChange=${(e) => edit({ channels: toggle(form.channels, c, e.currentTarget.checked) })} /> ${t(`settings_channel_${c}`)}</label>`)}
        ${errors.channels && html`<p class="field-error" data-testid="settings-channels-error">${errors.channels}</p>`}
      </fieldset>
      ${errors._form && html`<p class="error" role="alert">${errors._form}</p>`}
      ${status.problem && html`<p class="error" role="alert" data-testid="settings-problem">${t('settings_failed', { why: status.problem })}</p>`}
      <button type="submit" class="btn primary block" data-testid="settings-save" disabled=${status.state === 'saving' || !online}>
        ${status.state === 'saving' ? t('settings_saving') : t('settings_save')}</button>
      <p role="status" aria-live="polite" data-testid="settings-status" class=${status.state === 'saved' ? 'ok-text' : ''}>
        ${status.state === 'saved' ? t('settings_saved') : ''}</p>
    </form>`}
  </section>`;
}
