import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import {
  METHODS, answer, campaignsFor, checklistsFor, defaultDeadline, inspectionBody, inspectionItems, moveTo, newDraft, nextOpen, problems,
  progress, sendState, setFinding, setNote, titleFrom, withoutPhotos,
} from '../src/lib/inspection.js';
import zh from '../src/i18n/inspection.zh-CN.js';
import en from '../src/i18n/inspection.en.js';
import navZh from '../src/i18n/inspection-nav.zh-CN.js';
import navEn from '../src/i18n/inspection-nav.en.js';
import baseZh from '../src/i18n/zh-CN.js';
import { CAMPAIGNS_KEY, CHECKLISTS_KEY, pullChecklists } from '../src/lib/inspection-refs.js';

const TODAY = '2030-03-01';
const NOW = new Date('2030-03-01T02:00:00Z');
let n = 0;
const newId = () => `id-${++n}`;
const ctx = { today: TODAY, newId, now: NOW };

const checklist = (count = 20) => ({
  id: 'cl-1', version: 2, name: '消防安全检查表', sectors: ['fire_key_unit'],
  // given out of order: the walk follows position
  items: Array.from({ length: count }, (_, i) => ({
    id: `item-${count - i}`, position: count - i, content: `检查内容 ${count - i}`, basis: 'GB 50016', method: 'site', category: 'fire',
    ...(count - i === 3 && { major_basis: { criterion: 'gongmao_2023', clause: '第四条（一）' } }),
  })),
});
const user = { id: 7, username: 'wang' };
const enterprise = { id: 4, name: '厦门鹭岛精密机械有限公司', credit_code: '91350206MA2XK4L71K', sector: 'fire_key_unit', distance_m: 30 };
const draftOf = (extra = {}) => newDraft({ id: 'insp-1', user, enterprise, checklist: checklist(), enforcement: true, coInspector: ' li ', inspectedOn: TODAY, now: NOW, ...extra });

function walked() {
  let d = draftOf();
  for (const item of d.checklist.items) d = answer(d, item.id, item.id === 'item-3' || item.id === 'item-12' ? 'fail' : item.id === 'item-20' ? 'na' : 'pass', ctx);
  d = setFinding(d, 'item-12', { photos: [{ id: 'ph-1', blob: new Uint8Array([1]), width: 1600, height: 1200 }] }, NOW);
  return setNote(d, 'item-12', ' 灭火器过期 ', NOW);
}

describe('an inspection draft', () => {
  it('starts with the checklist in walking order, the user as first inspector and the second trimmed', () => {
    const d = draftOf();
    expect(d.checklist.items.map((i) => i.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(d).toMatchObject({ status: 'draft', userId: 7, inspectors: ['wang'], coInspector: 'li', at: 0, enforcement: true });
    expect(d.enterprise).toEqual({ id: 4, name: enterprise.name, credit_code: enterprise.credit_code, sector: 'fire_key_unit' });
  });

  it('a fail gets its finding: id made on the device, title from the item, a week (a month if major) to fix', () => {
    let d = answer(draftOf(), 'item-1', 'fail', ctx);
    expect(d.results['item-1'].finding).toEqual({ id: expect.stringMatching(/^id-/), title: '检查内容 1', deadline: '2030-03-08', photos: [] });
    d = answer(d, 'item-3', 'fail', ctx);
    expect(d.results['item-3'].finding.deadline).toBe(defaultDeadline(TODAY, { major_basis: { criterion: 'x' } }));
    expect(d.results['item-3'].finding.deadline).toBe('2030-03-31');
  });

  it('flipping a fail to pass keeps what was typed, unsent, and flipping back finds it again', () => {
    let d = answer(draftOf(), 'item-1', 'fail', ctx);
    const id = d.results['item-1'].finding.id;
    d = setFinding(d, 'item-1', { title: '安全出口锁闭' }, NOW);
    d = answer(d, 'item-1', 'pass', ctx);
    expect(d.results['item-1'].result).toBe('pass');
    d = answer(d, 'item-1', 'fail', ctx);
    expect(d.results['item-1'].finding).toMatchObject({ id, title: '安全出口锁闭' });
  });

  it('counts progress and finds the next open item, wrapping, -1 when all are answered', () => {
    let d = draftOf();
    expect(nextOpen(d, 0)).toBe(1);
    d = answer(answer(d, 'item-2', 'pass', ctx), 'item-3', 'na', ctx);
    expect(nextOpen(d, 0)).toBe(3);
    expect(nextOpen(d, 19)).toBe(0);
    expect(progress(d)).toEqual({ total: 20, answered: 2, pass: 1, fail: 0, na: 1 });
    expect(nextOpen(walked(), 5)).toBe(-1);
    expect(progress(walked())).toEqual({ total: 20, answered: 20, pass: 17, fail: 2, na: 1 });
    expect(moveTo(d, 99, NOW).at).toBe(19);
    expect(moveTo(d, -1, NOW).at).toBe(0);
  });

  it('a long item content makes a title the server takes (≤ 200 characters)', () => {
    expect(titleFrom({ content: `  ${'长'.repeat(250)}\n ` })).toHaveLength(200);
    expect(titleFrom({ content: '疏散通道\n  是否畅通' })).toBe('疏散通道 是否畅通');
  });
});

describe('what stops a draft being sent', () => {
  it('lists unanswered items, fails without a title or with a past deadline, and the second officer', () => {
    let d = answer(answer(draftOf({ coInspector: '' }), 'item-1', 'fail', ctx), 'item-2', 'fail', ctx);
    d = setFinding(setFinding(d, 'item-1', { title: '  ' }, NOW), 'item-2', { deadline: '2030-02-28' }, NOW);
    const found = problems(d, TODAY);
    expect(found.filter((p) => p.code === 'unanswered')).toHaveLength(18);
    expect(found.filter((p) => p.code !== 'unanswered')).toEqual([
      { code: 'no_title', index: 0 }, { code: 'bad_deadline', index: 1 }, { code: 'no_co_inspector' },
    ]);
    expect(problems({ ...walked(), coInspector: 'wang' }, TODAY)).toEqual([{ code: 'same_inspector' }]);
    expect(problems({ ...walked(), enforcement: false, coInspector: '' }, TODAY)).toEqual([]);
    expect(problems(walked(), TODAY)).toEqual([]);
  });
});

describe('sending: one inspection create, then the findings\' photos', () => {
  it('the body is the contract\'s: every item\'s result, a fail\'s finding with its device-made ids', () => {
    const d = walked();
    const body = inspectionBody(d);
    expect(body).toMatchObject({ id: 'insp-1', enterprise_id: 4, checklist_id: 'cl-1', checklist_version: 2, inspected_on: TODAY, enforcement: true, inspectors: ['wang', 'li'] });
    expect(body).not.toHaveProperty('campaign_id');
    expect(body.results).toHaveLength(20);
    expect(body.results[0]).toEqual({ item_id: 'item-1', result: 'pass' });
    expect(body.results[19]).toEqual({ item_id: 'item-20', result: 'na' });
    const fails = body.results.filter((r) => r.result === 'fail');
    expect(fails).toEqual([
      { item_id: 'item-3', result: 'fail', finding: { id: d.results['item-3'].finding.id, title: '检查内容 3', deadline: '2030-03-31', photo_ids: [] } },
      { item_id: 'item-12', result: 'fail', note: '灭火器过期',
        finding: { id: d.results['item-12'].finding.id, title: '检查内容 12', deadline: '2030-03-08', photo_ids: ['ph-1'] } },
    ]);
    expect(JSON.parse(JSON.stringify(body))).toEqual(body); // plain JSON, no Blob in it
  });

  it('queues the create first and each photo under its finding after it, all naming the inspection', () => {
    const d = walked();
    const items = inspectionItems(d);
    const findingId = d.results['item-12'].finding.id;
    expect(items.map((i) => `${i.type} ${i.request.method} ${i.request.path}`)).toEqual([
      'inspection POST /inspections',
      `photo PUT /findings/${findingId}/photos/ph-1?kind=evidence`,
    ]);
    expect(items.every((i) => i.inspectionId === 'insp-1')).toBe(true);
    expect(items[0]).toMatchObject({ id: 'insp-1', label: enterprise.name, request: { echo: { field: 'id', equals: 'insp-1' }, version: null } });
    expect(items[0].request.body.value).toEqual(inspectionBody(d));
    expect(items[1]).toMatchObject({ findingId, id: 'ph-1', kind: 'evidence', blob: d.results['item-12'].finding.photos[0].blob });
  });

  it('tells from the outbox and its record what became of it', () => {
    const d = walked();
    const [create, photo] = inspectionItems(d).map((i, k) => ({ ...i, seq: k + 1, state: 'pending' }));
    expect(sendState(d, [create, photo])).toMatchObject({ state: 'waiting', created: false });
    const taken = { ...d, sentAt: NOW.toISOString() }; // the server answered its create (markInspectionSent)
    expect(sendState(taken, [photo])).toMatchObject({ state: 'waiting', created: true });
    expect(sendState(d, [{ ...create, state: 'attention', problem: { code: 'validation' } }, photo])).toMatchObject({ state: 'refused', created: false, problem: { code: 'validation' } });
    expect(sendState(taken, [{ ...photo, state: 'attention', problem: { code: 'not_found' } }])).toMatchObject({ state: 'refused', created: true });
    expect(sendState(taken, [{ type: 'photo', inspectionId: 'other', state: 'pending' }])).toEqual({ state: 'sent', created: true, items: [] });
    expect(sendState(d, [])).toEqual({ state: 'discarded', created: false, items: [] }); // its items taken out unsent
  });

  it('a sent record keeps its photos\' ids, not their bytes', () => {
    const kept = withoutPhotos(walked());
    expect(kept.results['item-12'].finding.photos).toEqual([{ id: 'ph-1' }]);
    expect(kept.photosDropped).toBe(true);
  });
});

describe('checklists for an enterprise', () => {
  it('those for its sector first, then the rest', () => {
    const lists = [{ id: 'a', sectors: [{ code: 'gas', name: '城镇燃气' }] }, { id: 'b', sectors: [{ code: 'fire_key_unit' }, { code: 'gas' }] }, { id: 'c', sectors: [] }];
    expect(checklistsFor(lists, 'fire_key_unit')).toEqual({ fitting: [lists[1], lists[2]], others: [lists[0]] });
    expect(checklistsFor(lists, undefined)).toEqual({ fitting: [lists[2]], others: [lists[0], lists[1]] });
    expect(checklistsFor([{ id: 'd', sectors: ['gas'] }], 'gas').fitting).toHaveLength(1); // codes as a body names them
  });
});

describe('the inspection strings', () => {
  it('zh-CN and en have the same keys, none clashing with the base catalogue', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    expect(Object.keys(navEn).sort()).toEqual(Object.keys(navZh).sort());
    expect([...Object.keys(zh), ...Object.keys(navZh)].filter((k) => k in baseZh)).toEqual([]);
    expect(Object.keys(zh).filter((k) => k in navZh)).toEqual([]);
  });

  it('every name built from a value exists', () => {
    const keys = [...METHODS.map((m) => `insp_method_${m}`), ...['pass', 'fail', 'na'].map((r) => `insp_${r}`),
      ...['unanswered', 'no_title', 'bad_deadline', 'no_co_inspector', 'same_inspector'].map((p) => `insp_problem_${p}`),
      ...['waiting', 'photos', 'sent', 'refused'].map((s) => `insp_state_${s}`)];
    expect(keys.filter((k) => !(k in zh) || !(k in en))).toEqual([]);
  });
});

describe('campaigns an inspection may count for', () => {
  const campaign = (extra) => ({ id: 'c', name: '百日会战', starts_on: '2030-02-01', ends_on: '2030-05-10', sectors: [], checklists: [{ id: 'cl-1' }], ...extra });
  it('running on its day, using its checklist, for the enterprise\'s sector or any', () => {
    const on = { checklistId: 'cl-1', sector: 'fire_key_unit', on: TODAY };
    expect(campaignsFor([campaign()], on)).toHaveLength(1);
    expect(campaignsFor([campaign({ starts_on: '2030-03-02' })], on)).toEqual([]);
    expect(campaignsFor([campaign({ ends_on: '2030-02-28' })], on)).toEqual([]);
    expect(campaignsFor([campaign({ ends_on: TODAY, starts_on: TODAY })], on)).toHaveLength(1);
    expect(campaignsFor([campaign({ checklists: [{ id: 'other' }] })], on)).toEqual([]);
    expect(campaignsFor([campaign({ sectors: [{ code: 'gas' }] })], on)).toEqual([]);
    expect(campaignsFor([campaign({ sectors: [{ code: 'fire_key_unit' }] })], on)).toHaveLength(1);
    expect(campaignsFor(undefined, on)).toEqual([]);
  });

  it('a draft made in one sends its id', () => {
    const d = draftOf({ campaign: { id: 'camp-1', name: '百日会战', extra: 'x' } });
    expect(d.campaign).toEqual({ id: 'camp-1', name: '百日会战' });
    expect(inspectionBody({ ...walked(), campaign: d.campaign }).campaign_id).toBe('camp-1');
  });
});

describe('the checklists on the device', () => {
  it('reads each checklist once per version: the list gives no items, the device keeps the ones it has', async () => {
    const store = new Map([[CHECKLISTS_KEY, [{ id: 'a', version: 1, items: [{ id: 'old' }] }, { id: 'b', version: 1, items: [{ id: 'b1' }] }, { id: 'z', version: 3, items: [] }]]]);
    const kv = { get: async (k) => store.get(k), set: async (k, v) => store.set(k, v) };
    const asked = [];
    const api = {
      get: async (path) => {
        asked.push(path);
        if (path === 'campaigns') return { items: [{ id: 'camp', name: '百日会战' }] };
        if (path === 'checklists') return { items: [{ id: 'a', version: 2, items_count: 1 }, { id: 'b', version: 1 }, { id: 'c', version: 1 }] };
        return { id: path.split('/')[1], version: path === 'checklists/a' ? 2 : 1, items: [{ id: `${path}-item` }] };
      },
    };
    const pulled = await pullChecklists({ api, kv });
    expect(asked.sort()).toEqual(['campaigns', 'checklists', 'checklists/a', 'checklists/c']);
    expect(store.get(CAMPAIGNS_KEY)).toEqual([{ id: 'camp', name: '百日会战' }]);
    expect(pulled.map((c) => [c.id, c.version, c.items[0].id])).toEqual([['a', 2, 'checklists/a-item'], ['b', 1, 'b1'], ['c', 1, 'checklists/c-item']]);
    expect(store.get(CHECKLISTS_KEY)).toEqual(pulled); // a checklist gone from the list is gone from the device
  });
});
