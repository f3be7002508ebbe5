import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import zh from '../src/i18n/zh-CN.js';
import en from '../src/i18n/en.js';
import { t, setLang } from '../src/i18n/index.js';
import { NATURES, ACTIONS, TABS, actionFields, reportFields } from '../src/lib/forms.js';
import { EXTENSION_STATUSES } from '../src/lib/present.js';
import { PLAN_ELEMENTS } from '../src/lib/compose.js';
import adminZh from '../src/i18n/admin.zh-CN.js';
import adminEn from '../src/i18n/admin.en.js';
import noticesZh from '../src/i18n/notices.zh-CN.js';
import noticesEn from '../src/i18n/notices.en.js';
import deskZh from '../src/i18n/desk.zh-CN.js';
import deskNavZh from '../src/i18n/desk-nav.zh-CN.js';
import mapZh from '../src/i18n/map.zh-CN.js';
import inspectionZh from '../src/i18n/inspection.zh-CN.js';
import inspectionNavZh from '../src/i18n/inspection-nav.zh-CN.js';

const SRC = join(import.meta.dirname, '..', 'src');
const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.js') ? [readFileSync(join(dir, e.name), 'utf8')] : []);

describe('message catalogues', () => {
  it('zh-CN and en have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('the admin catalogues have the same keys, and none clashes with the base ones', () => {
    expect(Object.keys(adminEn).sort()).toEqual(Object.keys(adminZh).sort());
    expect(Object.keys(adminZh).filter((key) => key in zh)).toEqual([]);
  });

  it('the inbox catalogues (a lazy chunk\'s) have the same keys, and none clashes with the base or admin ones', () => {
    expect(Object.keys(noticesEn).sort()).toEqual(Object.keys(noticesZh).sort());
    expect(Object.keys(noticesZh).filter((key) => key in zh || key in adminZh)).toEqual([]);
  });

  it('every literal key the code asks for exists', () => {
    const used = new Set(sources(SRC).flatMap((text) => [...text.matchAll(/\bt\('([a-z_0-9]+)'/g)].map((m) => m[1])));
    const known = (key) => key in zh || key in adminZh || key in noticesZh || key in deskZh || key in deskNavZh || key in mapZh
      || key in inspectionZh || key in inspectionNavZh;
    expect([...used].filter((key) => !known(key))).toEqual([]);
  });

  it('outside the admin chunk no code asks for an admin string or imports admin code (but App.js, lazily)', () => {
    const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (e.name === 'admin' ? [] : files(join(dir, e.name))) : e.name.endsWith('.js') && !e.name.startsWith('admin') ? [join(dir, e.name)] : []);
    const outside = files(SRC);
    expect(outside.length).toBeGreaterThan(20);
    for (const file of outside) {
      const text = readFileSync(file, 'utf8');
      expect(text.match(/\bt\('(adm|srv)_/), file).toBeNull();
      const imports = [...text.matchAll(/import\s*(?:[^'"]*from\s*)?\(?\s*'([^']+)'/g)].map((m) => m[1]).filter((m) => m.includes('admin'));
      expect(imports, file).toEqual(file.endsWith(join('views', 'App.js')) ? ['./admin/Admin.js'] : []);
    }
    expect(readFileSync(join(SRC, 'views', 'App.js'), 'utf8')).toContain("import('./admin/Admin.js')");
  });

  it('every status and action has a name', () => {
    for (const s of ['reported', 'rectifying', 'pending_review', 'closed', 'voided', 'queued']) expect(zh).toHaveProperty(`status_${s}`);
    for (const a of ['confirm', 'acknowledge', 'submit_plan', 'request_extension', 'decide_extension', 'submit_rectification',
      'approve', 'reject', 'void', 'reopen', 'comment']) expect(zh).toHaveProperty(`action_${a}`);
  });

  it('every name the code builds from a value exists in both languages', () => {
    const keys = [
      ...NATURES.map((n) => `nature_${n}`),
      ...EXTENSION_STATUSES.map((s) => `ext_status_${s}`),
      ...['approved', 'rejected'].map((r) => `review_${r}`),
      ...['sent', 'sending', 'queued_offline', 'queued_retry', 'refused'].map((s) => `outcome_${s}`),
      ...PLAN_ELEMENTS.map((p) => `plan_${p}`),
      ...['withdrawn', 'lapsed'].map((s) => `h_extension_${s}`),
      ...ACTIONS.map((a) => `action_${a}`),
      'gps_denied', 'gps_unavailable', 'gps_timeout', // Location.js, by GeolocationPositionError code
      ...ACTIONS.flatMap((a) => actionFields(a, { level: 'major' }, { level: 'major' }).map((f) => f.label)),
      ...['inspector', 'grid_worker'].flatMap((r) => reportFields(r).map((f) => f.label)),
      ...Object.values(TABS).flat().filter((tab) => tab !== 'mine' && tab !== 'all' && tab !== 'urgent').map((tab) => `queue_${tab}`),
    ];
    const drawnElsewhere = new Set(['photos', 'location', 'extension_request', 'after_photos', 'fix_on_spot', 'rectification', 'approved', 'enterprise', 'major_basis']);
    const missing = keys.filter((k) => !drawnElsewhere.has(k) && (!(k in zh) || !(k in en)));
    expect(missing).toEqual([]);
    expect(zh.outcome_queued_offline).toBe('已保存，联网后发送');
    expect(zh.outcome_sent).toBe('已发送');
  });

  it('fills placeholders and switches language', () => {
    setLang('en');
    expect(t('sync_unsent', { n: 3 })).toBe('3 unsent');
    setLang('zh-CN');
    expect(t('sync_unsent', { n: 3 })).toBe('待发送 3 项');
  });
});
