// 区划: the tree (市 → 区/县 → 街道/镇 → 社区/村 → 网格); create a child, rename, deactivate or activate an area
// (never deleted: what refers to it keeps referring); a search that lists the matches with where they lie.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { href } from '../../lib/admin/nav.js';
import { patch, post, problemOf, reference } from '../../lib/admin/client.js';
import { areaTrail, buildTree, childCodePrefix, childLevel, descendants, searchAreas } from '../../lib/admin/areas.js';
import { fieldErrors } from '../../lib/admin/fielderrors.js';
import { describeProblem } from '../../lib/errors.js';
import { ConfirmButton, FormErrors, Loading, Problem, TextField, useLoad } from './ui.js';

const AREA_FORM = [{ name: 'code', label: 'adm_area_code' }, { name: 'name', label: 'adm_area_name' }, { name: 'level', label: 'adm_area_level' }, { name: 'parent', label: 'adm_area_parent' }];

function ChildForm({ parent, onDone, onCancel }) {
  const level = parent ? childLevel(parent.level) : 'city';
  const [values, setValues] = useState({ code: childCodePrefix(parent), name: '' });
  const [errors, setErrors] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const id = `child-${parent?.code || 'root'}`;
  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const saved = await post('areas', { code: values.code.trim(), name: values.name.trim(), level, parent: parent?.code ?? null });
      onDone(t('adm_area_created', { name: saved.name, code: saved.code }));
    } catch (error) {
      const p = problemOf(error);
      setErrors(fieldErrors(p.fields, AREA_FORM));
      setProblem(describeProblem(p));
    } finally {
      setBusy(false);
    }
  }
  return html`<form class="inline-form" onSubmit=${submit} novalidate data-testid="area-child-form">
    <p class="meta">${t('adm_area_new_of', { level: t(`adm_level_${level}`), parent: parent ? parent.name : '—' })}</p>
    <${Problem} problem=${problem} testid="area-problem" />
    <${FormErrors} errors=${errors} />
    <div class="form-grid">
      <${TextField} id=${`${id}-code`} name="code" label=${t('adm_area_code')} required value=${values.code} onInput=${(v) => setValues({ ...values, code: v })}
        errors=${errors?.byField?.code} hint=${t(`adm_area_code_hint_${level}`)} inputmode="numeric" testid="area-code" />
      <${TextField} id=${`${id}-name`} name="name" label=${t('adm_area_name')} required value=${values.name} onInput=${(v) => setValues({ ...values, name: v })}
        errors=${errors?.byField?.name || errors?.byField?.level || errors?.byField?.parent} testid="area-name" />
    </div>
    <div class="form-actions">
      <button class="btn primary small" data-testid="area-create" disabled=${busy}>${t('adm_create')}</button>
      <button type="button" class="btn ghost small" onClick=${onCancel}>${t('cancel')}</button>
    </div>
  </form>`;
}

function RenameForm({ area, onDone, onCancel }) {
  const [name, setName] = useState(area.name);
  const [errors, setErrors] = useState(null);
  const [problem, setProblem] = useState(null);
  async function submit(event) {
    event.preventDefault();
    setProblem(null);
    try {
      const saved = await patch(`areas/${encodeURIComponent(area.code)}`, { name: name.trim() });
      onDone(t('adm_area_renamed', { name: saved.name }));
    } catch (error) {
      const p = problemOf(error);
      setErrors(fieldErrors(p.fields, AREA_FORM));
      setProblem(describeProblem(p));
    }
  }
  return html`<form class="inline-form" onSubmit=${submit} novalidate data-testid="area-rename-form">
    <${Problem} problem=${problem} testid="area-problem" />
    <${TextField} id=${`rename-${area.code}`} name="name" label=${t('adm_area_new_name')} required value=${name} onInput=${setName} errors=${errors?.byField?.name} testid="area-rename-name" />
    <div class="form-actions">
      <button class="btn primary small" data-testid="area-rename-save">${t('adm_save')}</button>
      <button type="button" class="btn ghost small" onClick=${onCancel}>${t('cancel')}</button>
    </div>
  </form>`;
}

function Node({ node, depth, open, setOpen, editing, setEditing, onChanged }) {
  const [problem, setProblem] = useState(null);
  const next = childLevel(node.level);
  const expanded = open.has(node.code);
  const count = descendants(node);
  async function setActive(active) {
    setProblem(null);
    try {
      const saved = await patch(`areas/${encodeURIComponent(node.code)}`, { active });
      onChanged(t(active ? 'adm_area_activated' : 'adm_area_deactivated', { name: saved.name }));
    } catch (error) {
      setProblem(describeProblem(problemOf(error)));
    }
  }
  const toggle = () => setOpen((s) => { const n = new Set(s); if (n.has(node.code)) n.delete(node.code); else n.add(node.code); return n; });
  return html`<li class=${`tree-node${node.active === false ? ' inactive' : ''}`} data-testid="area-node" data-code=${node.code} aria-expanded=${node.children.length ? String(expanded) : undefined}>
    <div class="tree-row">
      ${node.children.length
        ? html`<button type="button" class="tree-toggle" aria-label=${t(expanded ? 'adm_collapse' : 'adm_expand', { name: node.name })} onClick=${toggle}>${expanded ? '▾' : '▸'}</button>`
        : html`<span class="tree-toggle" aria-hidden="true"></span>`}
      <span class="tree-name"><strong>${node.name}</strong> <span class="meta">${node.code} · ${t(`adm_level_${node.level}`)}${count ? ` · ${t('adm_area_count', { n: count })}` : ''}</span>
        ${node.active === false && html` <span class="badge inactive">${t('adm_inactive')}</span>`}</span>
      <span class="tree-actions">
        ${next && node.active !== false && html`<button type="button" class="btn small ghost" data-testid="area-add-child" onClick=${() => setEditing({ code: node.code, kind: 'child' })}>${t('adm_area_add_child', { level: t(`adm_level_${next}`) })}</button>`}
        <button type="button" class="btn small ghost" data-testid="area-rename" onClick=${() => setEditing({ code: node.code, kind: 'rename' })}>${t('adm_area_rename')}</button>
        ${node.active === false
          ? html`<button type="button" class="btn small" data-testid="area-activate" onClick=${() => setActive(true)}>${t('adm_activate')}</button>`
          : html`<${ConfirmButton} label=${t('adm_deactivate')} confirm=${t('adm_area_deactivate_q', { n: count })} testid="area-deactivate" onConfirm=${() => setActive(false)} />`}
      </span>
    </div>
    <${Problem} problem=${problem} testid="area-problem" />
    ${editing?.code === node.code && editing.kind === 'child' && html`<${ChildForm} parent=${node} onDone=${(text) => { setEditing(null); setOpen((s) => new Set([...s, node.code])); onChanged(text); }} onCancel=${() => setEditing(null)} />`}
    ${editing?.code === node.code && editing.kind === 'rename' && html`<${RenameForm} area=${node} onDone=${(text) => { setEditing(null); onChanged(text); }} onCancel=${() => setEditing(null)} />`}
    ${expanded && node.children.length > 0 && html`<ul class="tree">${node.children.map((c) => html`<${Node} key=${c.code} node=${c} depth=${depth + 1}
      open=${open} setOpen=${setOpen} editing=${editing} setEditing=${setEditing} onChanged=${onChanged} />`)}</ul>`}
  </li>`;
}

export function Areas() {
  const [round, setRound] = useState(0);
  const areas = useLoad(() => reference('areas', { reload: round > 0 }), [round]);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(() => new Set());
  const [editing, setEditing] = useState(null);
  const [note, setNoteText] = useState('');
  const tree = useMemo(() => buildTree(areas.data || []), [areas.data]);
  const byCode = useMemo(() => new Map((areas.data || []).map((a) => [a.code, a])), [areas.data]);
  useEffect(() => {
    if (tree.length && !open.size) setOpen(new Set(tree.map((r) => r.code))); // the city open at first: its districts shown
  }, [tree]);
  const changed = (text) => { setNoteText(text); setRound((n) => n + 1); };
  const found = q.trim() ? searchAreas(areas.data || [], q, { limit: 30, includeInactive: true }) : null;
  return html`<section aria-labelledby="adm-title">
    <div class="admin-head">
      <h1 id="adm-title" class="h1">${t('adm_areas_list')}</h1>
      <div class="row">
        <button type="button" class="btn small" data-testid="area-add-city" onClick=${() => setEditing({ code: null, kind: 'child' })}>${t('adm_area_add_city')}</button>
        <a class="btn small" href=${href('areas', 'import')} data-testid="area-import">${t('adm_import_title')}</a>
      </div>
    </div>
    ${note && html`<p class="banner ok" role="status" data-testid="admin-note">${note}</p>`}
    ${editing?.code === null && html`<div class="card"><${ChildForm} parent=${null} onDone=${(text) => { setEditing(null); changed(text); }} onCancel=${() => setEditing(null)} /></div>`}
    <div class="filters" role="search"><div class="field grow"><label for="area-q">${t('adm_search')}</label>
      <input id="area-q" type="search" value=${q} placeholder=${t('adm_area_search')} data-testid="area-q" onInput=${(e) => setQ(e.currentTarget.value)} /></div></div>
    <${Problem} problem=${areas.problem} />
    ${areas.loading && !areas.data ? html`<${Loading} />` : found
      ? html`<ul class="list plain" data-testid="area-found">${found.length ? found.map((a) => html`<li key=${a.code} class="found">
          <strong>${a.name}</strong> <span class="meta">${a.code} · ${t(`adm_level_${a.level}`)}</span>
          ${a.active === false && html` <span class="badge inactive">${t('adm_inactive')}</span>`}
          <span class="meta block">${areaTrail(byCode, a.code)}</span></li>`) : html`<li class="empty">${t('empty')}</li>`}</ul>`
      : html`<ul class="tree root" data-testid="area-tree">${tree.map((n) => html`<${Node} key=${n.code} node=${n} depth=${0}
          open=${open} setOpen=${setOpen} editing=${editing} setEditing=${setEditing} onChanged=${changed} />`)}</ul>`}
  </section>`;
}
