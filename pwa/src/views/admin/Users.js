// 用户: the accounts with filters; create one (the password rule shown beside the password), edit the role, home
// area, enterprise and name, reset the password (the user must choose a new one at the next sign-in), deactivate.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { go } from '../../lib/router.js';
import { href } from '../../lib/admin/nav.js';
import { get, patch, post, problemOf, reference, remember, remembered } from '../../lib/admin/client.js';
import { ROLES, userFields, userPayload, userProblems, userQuery, userValues } from '../../lib/admin/users.js';
import { passwordProblem } from '../../lib/password.js';
import { clientErrors, fieldErrors } from '../../lib/admin/fielderrors.js';
import { describeProblem } from '../../lib/errors.js';
import { EnterprisePicker } from '../EnterprisePicker.js';
import { ActiveToggle, AreaPicker, CheckField, FormErrors, Loading, Note, Problem, SelectField, StatusBadge, TextField, setNote, useFilteredPages, useLoad, useRecordForm } from './ui.js';

const roleOptions = () => ROLES.map((r) => ({ value: r, label: t(`role_${r}`) }));

export function PasswordRule({ id }) {
  return html`<p class="hint" id=${id} data-testid="password-rule">${t('pw_rule')}</p>`;
}

export function UserList() {
  const { filters, set, first, pages, more } = useFilteredPages({ role: '', area: '', active: '', q: '' }, userQuery);
  const areas = useLoad(() => reference('areas'), []);

  return html`<section aria-labelledby="adm-title">
    <div class="admin-head">
      <h1 id="adm-title" class="h1">${t('adm_users_list')}</h1>
      <div class="row">
        <a class="btn primary small" href=${href('users', 'new')} data-testid="user-new">${t('adm_user_new')}</a>
        <a class="btn small" href=${href('users', 'import')} data-testid="user-import">${t('adm_import_title')}</a>
      </div>
    </div>
    <${Note} />
    <div class="filters" role="search">
      <${TextField} id="uf-q" name="q" type="search" label=${t('adm_search')} value=${filters.q} onInput=${set('q')} placeholder=${t('adm_user_search')} testid="user-filter-q" />
      <${SelectField} id="uf-role" name="role" label=${t('adm_user_role')} value=${filters.role} onChange=${set('role')} options=${roleOptions()} placeholder=${t('adm_all')} testid="user-filter-role" />
      <${AreaPicker} id="uf-area" label=${t('adm_user_area_filter')} value=${filters.area} onChange=${set('area')} areas=${areas.data || []} testid="user-filter-area" />
      <${SelectField} id="uf-active" name="active" label=${t('adm_status')} value=${filters.active} onChange=${set('active')} testid="user-filter-active"
        options=${[{ value: 'true', label: t('adm_active') }, { value: 'false', label: t('adm_inactive') }]} placeholder=${t('adm_all')} />
    </div>
    <${Problem} problem=${first.problem} />
    ${first.loading && !pages.items.length ? html`<${Loading} />` : !pages.items.length ? html`<p class="empty">${t('empty')}</p>` : html`
    <table class="grid-table" data-testid="user-table">
      <thead><tr>
        <th scope="col">${t('adm_user_username')}</th><th scope="col">${t('adm_user_display_name')}</th><th scope="col">${t('adm_user_role')}</th>
        <th scope="col">${t('adm_user_area')}</th><th scope="col">${t('adm_user_enterprise')}</th><th scope="col">${t('adm_status')}</th>
        <th scope="col"><span class="sr-only">${t('adm_actions')}</span></th>
      </tr></thead>
      <tbody>
        ${pages.items.map((u) => html`<tr key=${u.id} data-testid="user-row" data-username=${u.username} class=${u.active === false ? 'inactive' : ''}>
          <td data-label=${t('adm_user_username')} class="code">${u.username}</td>
          <td data-label=${t('adm_user_display_name')}>${u.display_name}</td>
          <td data-label=${t('adm_user_role')}>${t(`role_${u.role}`)}</td>
          <td data-label=${t('adm_user_area')}>${u.area ? html`${u.area.name}<span class="meta block">${u.area.code}</span>` : '—'}</td>
          <td data-label=${t('adm_user_enterprise')}>${u.enterprise?.name || '—'}</td>
          <td data-label=${t('adm_status')}><${StatusBadge} active=${u.active} />
            ${u.must_change_password && html` <span class="badge due">${t('adm_user_must_change_badge')}</span>`}</td>
          <td class="actions-cell"><a class="btn small" href=${href('users', 'edit', u.id)} data-testid="user-edit" onClick=${() => remember('user', u)}>${t('adm_edit')}</a></td>
        </tr>`)}
      </tbody>
    </table>
    ${pages.cursor && html`<button type="button" class="btn block" data-testid="user-more" onClick=${more}>${t('adm_more')}</button>`}`}
  </section>`;
}

const FORM_ID = 'usr';

function ResetPassword({ user, onDone }) {
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(event) {
    event.preventDefault();
    const why = passwordProblem(password, user.username);
    if (why) {
      setErrors(clientErrors({ password: why }));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const saved = await patch(`users/${user.id}`, { password });
      setErrors(null);
      setPassword('');
      onDone(saved, t('adm_user_reset_done', { name: saved.username }));
    } catch (error) {
      const p = problemOf(error);
      setErrors(fieldErrors(p.fields, [{ name: 'password', label: 'adm_user_new_password' }]));
      setProblem(describeProblem(p));
    } finally {
      setBusy(false);
    }
  }
  return html`<form class="card admin-form" onSubmit=${submit} novalidate data-testid="user-reset-form" aria-labelledby="reset-title">
    <h2 id="reset-title">${t('adm_user_reset')}</h2>
    <p class="hint">${t('adm_user_reset_intro')}</p>
    <${Problem} problem=${problem} testid="reset-problem" />
    <${TextField} id="reset-password" name="password" type="text" label=${t('adm_user_new_password')} value=${password} onInput=${setPassword}
      errors=${errors?.byField?.password} required autocomplete="off" spellcheck=${false} testid="user-reset-password" hint=${t('pw_rule')} />
    <button class="btn warn" data-testid="user-reset-submit" disabled=${busy}>${t('adm_user_reset')}</button>
  </form>`;
}

export function UserForm({ id }) {
  const creating = !id;
  const areas = useLoad(() => reference('areas'), []);
  const record = useLoad(() => (creating ? null : remembered('user', id) || get(`users/${id}`)), [id]);
  const [values, setValues] = useState(userValues());
  const [current, setCurrent] = useState(null);
  const { errors, err, problem, setProblem, busy, refusedHere, sending, acting } = useRecordForm();
  const [note, setLocalNote] = useState('');
  useEffect(() => {
    if (record.data) {
      setValues(userValues(record.data));
      setCurrent(record.data);
    }
  }, [record.data]);

  const set = (name) => (value) => setValues((v) => ({ ...v, [name]: value }));
  const fields = userFields(values.role, { creating });
  const has = (name) => fields.some((f) => f.name === name);
  const req = (name) => fields.find((f) => f.name === name)?.required;

  async function submit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    setProblem(null);
    setLocalNote('');
    if (refusedHere(form, userProblems(values, { creating }))) return;
    const body = userPayload(values, creating ? null : current);
    if (!creating && !Object.keys(body).length) {
      go(href('users'));
      return;
    }
    await sending(form, fields, async () => {
      const saved = creating ? await post('users', body) : await patch(`users/${id}`, body);
      remember('user', saved);
      setNote(t(creating ? 'adm_user_created' : 'adm_user_saved', { name: saved.username }));
      go(href('users'));
    });
  }

  function changed(saved, text) {
    remember('user', saved);
    setCurrent(saved);
    setLocalNote(text);
  }

  const setActive = (active) => acting(async () => {
    const saved = await patch(`users/${id}`, { active });
    changed(saved, t(active ? 'adm_user_activated' : 'adm_user_deactivated', { name: saved.username }));
  });

  if (!creating && record.loading) return html`<${Loading} />`;
  if (!creating && record.problem) return html`<${Problem} problem=${record.problem} />`;
  const enterprise = values.enterprise_id ? { id: values.enterprise_id, name: values.enterprise_name, credit_code: values.enterprise_credit_code } : null;
  return html`<section aria-labelledby="adm-title">
    <div class="admin-head">
      <h1 id="adm-title" class="h1">${creating ? t('adm_users_new') : t('adm_users_edit_name', { name: current?.username || '' })}</h1>
      ${current && html`<span><${StatusBadge} active=${current.active} />${current.must_change_password && html` <span class="badge due" data-testid="user-must-change">${t('adm_user_must_change_badge')}</span>`}</span>`}
    </div>
    ${note && html`<p class="banner ok" role="status" data-testid="admin-note">${note}</p>`}
    <div class=${!creating && current ? 'admin-columns' : ''}>
    <form class="admin-form card" onSubmit=${submit} novalidate data-testid="user-form">
      <${Problem} problem=${problem} testid="form-problem" />
      <${FormErrors} errors=${errors} />
      <div class="form-grid">
        ${has('username') && html`<${TextField} id=${`${FORM_ID}-username`} name="username" label=${t('adm_user_username')} required value=${values.username}
          onInput=${set('username')} errors=${err('username')} hint=${t('adm_username_hint')} autocomplete="off" autocapitalize="none" spellcheck=${false} />`}
        <${TextField} id=${`${FORM_ID}-display_name`} name="display_name" label=${t('adm_user_display_name')} value=${values.display_name}
          onInput=${set('display_name')} errors=${err('display_name')} autocomplete="off" hint=${creating ? t('adm_display_name_hint') : undefined} />
        <${SelectField} id=${`${FORM_ID}-role`} name="role" label=${t('adm_user_role')} required value=${values.role} onChange=${set('role')}
          options=${roleOptions()} errors=${err('role')} />
        ${has('area') && html`<${AreaPicker} id=${`${FORM_ID}-area`} label=${t('adm_user_area')} required=${req('area')} value=${values.area}
          onChange=${set('area')} areas=${areas.data || []} errors=${err('area')} hint=${values.role === 'enterprise_officer' ? t('adm_user_area_officer_hint') : t('adm_user_area_hint')} />`}
      </div>
      ${has('enterprise') && html`<div class="field-wrap">
        <${EnterprisePicker} id=${`${FORM_ID}-enterprise`} label=${t('adm_user_enterprise')} required value=${enterprise} near=${null} hint=${t('adm_user_enterprise_hint')}
          onChange=${(e) => setValues((v) => ({ ...v, enterprise_id: e?.id ?? null, enterprise_name: e?.name || '', enterprise_credit_code: e?.credit_code || '' }))} />
        ${err('enterprise') && html`<p class="field-error" role="alert" data-testid="error-enterprise">${err('enterprise').join(' ')}</p>`}
      </div>`}
      ${has('password') && html`<div class="form-grid">
        <${TextField} id=${`${FORM_ID}-password`} name="password" type="text" label=${t('adm_user_password')} required value=${values.password}
          onInput=${set('password')} errors=${err('password')} hint=${t('pw_rule')} autocomplete="off" spellcheck=${false} />
        <${CheckField} id=${`${FORM_ID}-must`} name="must_change_password" label=${t('adm_user_must_change')} checked=${values.must_change_password}
          onChange=${set('must_change_password')} />
      </div>`}
      <div class="form-actions">
        <button class="btn primary" data-testid="user-save" disabled=${busy}>${busy ? t('saving') : t('adm_save')}</button>
        <a class="btn ghost" href=${href('users')}>${t('cancel')}</a>
        ${!creating && current && html`<${ActiveToggle} active=${current.active} confirm=${t('adm_user_deactivate_q')} testid="user" busy=${busy} onSet=${setActive} />`}
      </div>
    </form>
    ${!creating && current && html`<${ResetPassword} user=${current} onDone=${changed} />`}
    </div>
  </section>`;
}
