// The notification settings (issue 12): GET/PUT /me/settings. In-app is always on and never sent; the server's
// 422 names the fields it refused, said here in the user's language (its own words are English, for support).
import { t } from '../i18n/index.js';
import '../i18n/notices.js';

export const CHANNELS = ['email', 'webhook']; // besides in-app; the server says which of them it offers

/** The form as loaded: the address ('' for none) and the chosen channels, each a box the server offers. */
export function formOf(settings) {
  const offered = CHANNELS.filter((c) => (settings.available_channels || []).includes(c));
  return { email: settings.email || '', channels: (settings.channels || []).filter((c) => offered.includes(c)), offered };
}

/** What PUT sends: an empty address is none; the channels in one order. */
export function payloadOf(form) {
  const email = form.email.trim();
  return { email: email || null, channels: CHANNELS.filter((c) => form.channels.includes(c)) };
}

export function toggle(channels, channel, on) {
  return on ? [...new Set([...channels, channel])] : channels.filter((c) => c !== channel);
}

/** field → message for a 422's `fields` ({"email": ["Not a valid email address."]} or {"channels": "..."}). */
export function fieldErrors(fields, form) {
  const errors = {};
  for (const name of Object.keys(fields || {})) {
    const field = name.split('.')[0];
    if (field === 'email') {
      const needed = !form.email.trim() && form.channels.includes('email');
      errors.email = t(needed ? 'settings_email_needed' : 'settings_email_invalid');
    } else if (field === 'channels') errors.channels = t('settings_channels_invalid');
    else errors._form = t('settings_field_invalid', { field: name });
  }
  return errors;
}
