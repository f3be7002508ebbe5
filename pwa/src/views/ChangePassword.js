// An admin set this user's password (a new account, or a reset): before anything else the user chooses one only
// they know. The server refuses everything else meanwhile (403 password_change_required).
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { changePassword, knowsCurrentPassword } from '../lib/services.js';
import { passwordMessage, passwordProblem } from '../lib/password.js';
import { describeProblem, problemFromError } from '../lib/errors.js';

const said = (message) => {
  const known = passwordMessage(message);
  return known ? t(...known) : message;
};

export function ChangePassword({ user }) {
  const askCurrent = !knowsCurrentPassword();
  const [values, setValues] = useState({ current: '', next: '', again: '' });
  const [errors, setErrors] = useState({});
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (name) => (e) => setValues({ ...values, [name]: e.currentTarget.value });

  async function submit(event) {
    event.preventDefault();
    setProblem('');
    const local = {};
    if (askCurrent && !values.current) local.current = t('pw_current_needed');
    const why = passwordProblem(values.next, user.username);
    if (why) local.next = t(...why);
    else if (values.next !== values.again) local.again = t('pw_mismatch');
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await changePassword(values.next, askCurrent ? values.current : undefined);
    } catch (error) {
      const p = problemFromError(error);
      const fields = p.fields || {};
      const text = (v) => [].concat(v).map(said).join(' ');
      setErrors({ ...(fields.new_password && { next: text(fields.new_password) }), ...(fields.current_password && { current: text(fields.current_password) }) });
      setProblem(describeProblem(p).headline);
    } finally {
      setBusy(false);
    }
  }

  const field = (name, id, label, autocomplete, hint) => html`<div class="field">
    <label for=${id}>${label}</label>
    <input id=${id} type="password" value=${values[name]} onInput=${set(name)} autocomplete=${autocomplete} required
      aria-invalid=${errors[name] ? 'true' : undefined} aria-describedby=${[hint && `${id}-hint`, errors[name] && `${id}-error`].filter(Boolean).join(' ') || undefined}
      data-testid=${`password-${name}`} />
    ${hint && html`<p class="hint" id=${`${id}-hint`} data-testid="password-rule">${hint}</p>`}
    ${errors[name] && html`<p class="field-error" id=${`${id}-error`} role="alert" data-testid=${`password-${name}-error`}>${errors[name]}</p>`}
  </div>`;

  return html`<section class="change-password" aria-labelledby="pw-title" data-testid="change-password">
    <h1 id="pw-title" class="h1">${t('pw_title')}</h1>
    <p>${t('pw_intro')}</p>
    <form class="card" onSubmit=${submit} novalidate>
      <input type="text" name="username" value=${user.username} autocomplete="username" hidden readonly />
      ${askCurrent && field('current', 'pw-current', t('pw_current'), 'current-password')}
      ${field('next', 'pw-next', t('pw_new'), 'new-password', t('pw_rule'))}
      ${field('again', 'pw-again', t('pw_again'), 'new-password')}
      <p class="error" role="alert">${problem}</p>
      <button class="btn primary block" data-testid="password-submit" disabled=${busy}>${busy ? t('saving') : t('pw_submit')}</button>
    </form>
  </section>`;
}
