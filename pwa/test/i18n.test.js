import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import zh from '../src/i18n/zh-CN.js';
import en from '../src/i18n/en.js';
import { t, setLang } from '../src/i18n/index.js';

const SRC = join(import.meta.dirname, '..', 'src');
const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.js') ? [readFileSync(join(dir, e.name), 'utf8')] : []);

describe('message catalogues', () => {
  it('zh-CN and en have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('every literal key the code asks for exists', () => {
    const used = new Set(sources(SRC).flatMap((text) => [...text.matchAll(/\bt\('([a-z_]+)'/g)].map((m) => m[1])));
    expect([...used].filter((key) => !(key in zh))).toEqual([]);
  });

  it('every status and action has a name', () => {
    for (const s of ['reported', 'rectifying', 'pending_review', 'closed', 'voided', 'queued']) expect(zh).toHaveProperty(`status_${s}`);
    for (const a of ['confirm', 'acknowledge', 'submit_plan', 'request_extension', 'decide_extension', 'submit_rectification',
      'approve', 'reject', 'void', 'reopen', 'comment']) expect(zh).toHaveProperty(`action_${a}`);
  });

  it('fills placeholders and switches language', () => {
    setLang('en');
    expect(t('sync_unsent', { n: 3 })).toBe('3 unsent');
    setLang('zh-CN');
    expect(t('sync_unsent', { n: 3 })).toBe('待发送 3 项');
  });
});
