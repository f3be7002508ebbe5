import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { login } from '../lib/services.js';
import { describeProblem, problemFromError } from '../lib/errors.js';
import { LanguageSwitch } from './LanguageSwitch.js';

export function Login({ expired }) {
  const [error, setError] = useState(expired ? t('session_expired') : '');
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError('');
    try {
      await login(String(form.get('username')).trim(), String(form.get('password')));
    } catch (e) {
      // the server's English message is never the headline: its code says it in the user's language
      setError(e.status === 401 ? t('login_failed') : !navigator.onLine ? t('login_offline') : describeProblem(problemFromError(e)).headline);
    } finally {
      setBusy(false);
    }
  }

  return html`<main id="main" class="login">
    <div class="login-top"><${LanguageSwitch} /></div>
    <h1>${t('app_name')}</h1>
    <form onSubmit=${submit} class="card">
      <h2>${t('login_title')}</h2>
      <label for="login-username">${t('username')}</label>
      <input id="login-username" name="username" data-testid="login-username" autocomplete="username" autocapitalize="none" required />
      <label for="login-password">${t('password')}</label>
      <input id="login-password" name="password" type="password" data-testid="login-password" autocomplete="current-password" required />
      <p class="error" role="alert">${error}</p>
      <button class="btn primary block" data-testid="login-submit" disabled=${busy}>${t('login')}</button>
    </form>
  </main>`;
}
