import { describe, it, expect } from 'vitest';
import { actionFields, reportFields, tabsFor, TABS, ACTIONS } from '../src/lib/forms.js';
import { actionPayload, findingItems } from '../src/lib/compose.js';

const names = (fields) => fields.map((f) => f.name);
const required = (fields) => fields.filter((f) => f.required).map((f) => f.name);

describe('the new-finding form asks what the role decides', () => {
  it('a grid worker has no deadline, no mode, no basis and no nature, and only suggests a level', () => {
    for (const level of ['general', 'major']) {
      const fields = reportFields('grid_worker', { level, fixOnSpot: true });
      expect(names(fields)).not.toEqual(expect.arrayContaining(['deadline']));
      for (const name of ['deadline', 'fix_on_spot', 'rectification', 'major_basis', 'nature']) expect(names(fields)).not.toContain(name);
      expect(fields.find((f) => f.name === 'level').label).toBe('level_suggested');
      expect(required(fields)).toEqual(['title', 'category']);
    }
  });

  it('an inspector sets nature, enterprise and the terms; title and description come before the details', () => {
    const fields = names(reportFields('inspector', { level: 'general' }));
    expect(fields).toEqual(['photos', 'title', 'description', 'nature', 'enterprise', 'category', 'level', 'fix_on_spot', 'deadline', 'location', 'address']);
    expect(required(reportFields('inspector', { level: 'general' }))).toEqual(['title', 'nature', 'enterprise', 'category', 'level', 'deadline']);
  });

  it('no fix on the spot for a major finding; a major one needs its basis', () => {
    const major = names(reportFields('inspector', { level: 'major', fixOnSpot: true }));
    expect(major).toContain('major_basis');
    expect(major).toContain('deadline');
    expect(major).not.toContain('fix_on_spot');
    expect(major).not.toContain('rectification');
  });

  it('a fix on the spot replaces the deadline by the rectification', () => {
    const fix = names(reportFields('inspector', { level: 'general', fixOnSpot: true }));
    expect(fix).toContain('rectification');
    expect(fix).not.toContain('deadline');
  });

  it('roles that do not report have no form', () => {
    expect(reportFields('enterprise_officer')).toEqual([]);
    expect(reportFields('supervisor')).toEqual([]);
  });
});

describe('the create carries only what the role may set', () => {
  const form = {
    category: 'fire', level: 'major', title: '配电箱', enterpriseId: '', deadline: '2030-01-08', criterion: 'c', clause: '第一条',
    fixOnSpot: true, measures: 'x', nature: 'unsafe_act', photos: [{ id: 'p1', blob: 1 }], afterPhotos: [{ id: 'a1', blob: 2 }],
  };

  it('a grid worker sends no deadline, rectify_mode, major_basis, nature or rectification', () => {
    const [create, ...photos] = findingItems(form, new Date(), 'grid_worker');
    for (const key of ['deadline', 'rectify_mode', 'major_basis', 'nature', 'rectification']) expect(create.body).not.toHaveProperty(key);
    expect(create.body).toMatchObject({ level: 'major', enterprise_id: null, photo_ids: ['p1'] });
    expect(photos.map((p) => p.kind)).toEqual(['evidence']);
  });

  it('an inspector sends nature and terms; a major finding is never immediate', () => {
    const [create, ...photos] = findingItems(form, new Date(), 'inspector');
    expect(create.body).toMatchObject({ nature: 'unsafe_act', rectify_mode: 'deadline', deadline: '2030-01-08', major_basis: { criterion: 'c', clause: '第一条' } });
    expect(create.body).not.toHaveProperty('rectification');
    expect(photos.map((p) => p.kind)).toEqual(['evidence']);
  });
});

describe('action forms', () => {
  it('every action has a row in the table', () => {
    expect(ACTIONS.sort()).toEqual(['acknowledge', 'approve', 'comment', 'confirm', 'decide_extension', 'reject', 'reopen',
      'request_extension', 'submit_plan', 'submit_rectification', 'void', 'list_supervision'].sort());
  });

  it('confirm requires a deadline and may correct level, category, nature, enterprise and basis', () => {
    const fields = actionFields('confirm', { level: 'general' }, { level: 'major' });
    expect(names(fields)).toEqual(['deadline', 'level', 'category', 'nature', 'enterprise', 'major_basis']);
    expect(required(fields)).toEqual(['deadline', 'level', 'category', 'enterprise', 'major_basis']);
    const keepsBasis = actionFields('confirm', { major_basis: { criterion: 'c' } }, { level: 'major' });
    expect(keepsBasis.find((f) => f.name === 'major_basis').required).toBe(false);
    expect(names(actionFields('confirm', {}, { level: 'general' }))).not.toContain('major_basis');
  });

  it("reject's new deadline is optional, reopen's is required", () => {
    const reject = actionFields('reject', {});
    expect(reject.find((f) => f.name === 'new_deadline')).toEqual({ name: 'new_deadline', label: 'new_deadline_optional', required: false });
    expect(required(actionFields('reopen', {}))).toEqual(['reason', 'new_deadline']);
  });

  it('decide_extension shows the request and asks a granted date only when approving', () => {
    const finding = { extension_requests: [{ id: 1, status: 'refused' }, { id: 2, status: 'pending', requested_deadline: '2030-02-01' }] };
    expect(names(actionFields('decide_extension', finding, { approved: 'yes' }))).toEqual(['extension_request', 'approved', 'granted_deadline', 'comment']);
    expect(names(actionFields('decide_extension', finding, { approved: 'no' }))).toEqual(['extension_request', 'approved', 'comment']);
  });

  it('the plan has the six elements of Order 16 Art. 15, all required', () => {
    expect(required(actionFields('submit_plan'))).toEqual(['plan_objective', 'plan_measures', 'plan_funds', 'plan_responsible', 'plan_time_limit', 'plan_contingency']);
  });

  it('on-site check is required for a major finding only', () => {
    expect(required(actionFields('approve', { level: 'major' }))).toEqual(['on_site']);
    expect(required(actionFields('approve', { level: 'general' }))).toEqual([]);
  });
});

describe('action payloads', () => {
  const finding = { level: 'general', category: { code: 'fire' }, nature: null, enterprise: { id: 4 } };

  it('reject without a new deadline keeps the deadline (sends none)', () => {
    expect(actionPayload('reject', { comment: ' 照片不清 ', new_deadline: '' })).toEqual({ comment: '照片不清' });
    expect(actionPayload('reject', { comment: 'x', new_deadline: '2030-01-09' })).toEqual({ comment: 'x', new_deadline: '2030-01-09' });
  });

  it('confirm sends the deadline and level, and only the corrections', () => {
    expect(actionPayload('confirm', { deadline: '2030-01-08', level: 'general', category: 'fire', enterprise_id: '4' }, finding))
      .toEqual({ deadline: '2030-01-08', level: 'general' });
    expect(actionPayload('confirm', { deadline: '2030-01-08', level: 'major', category: 'dust', nature: 'unsafe_act', enterprise_id: '7', criterion: 'c', clause: ' 一 ' }, finding))
      .toEqual({ deadline: '2030-01-08', level: 'major', category: 'dust', nature: 'unsafe_act', enterprise_id: 7, major_basis: { criterion: 'c', clause: '一' } });
  });

  it('decide_extension: approved with the granted date, refused without one', () => {
    expect(actionPayload('decide_extension', { approved: 'yes', granted_deadline: '2030-01-10', comment: '' })).toEqual({ approved: true, granted_deadline: '2030-01-10' });
    expect(actionPayload('decide_extension', { approved: 'no', granted_deadline: '2030-01-10', comment: '材料不足' })).toEqual({ approved: false, comment: '材料不足' });
  });

  it('submit_plan sends all six elements', () => {
    const plan = actionPayload('submit_plan', { plan_objective: '消除', plan_measures: 'm', plan_funds: 'f', plan_responsible: 'r', plan_time_limit: '2030-01-08', plan_contingency: 'c' }).plan;
    expect(Object.keys(plan)).toEqual(['objective', 'measures', 'funds', 'responsible', 'time_limit', 'contingency']);
  });
});

describe('lists per role', () => {
  it('inspectors and supervisors have the triage queue; the others do not', () => {
    expect(tabsFor('inspector')).toContain('triage');
    expect(tabsFor('supervisor')).toContain('triage');
    expect(tabsFor('grid_worker')).not.toContain('triage');
    expect(tabsFor('enterprise_officer')).toEqual(['urgent']);
    expect(tabsFor('nobody')).toEqual(['all']);
    expect(Object.keys(TABS).sort()).toEqual(['admin', 'enterprise_officer', 'grid_worker', 'inspector', 'supervisor']);
  });
});

describe('挂牌督办 in the forms', () => {
  const listed = { level: 'major', supervision_level: 'city' };

  it('a listing asks its level, authority, 文号 and leader; the lead department and public are optional', () => {
    const fields = actionFields('list_supervision', { level: 'major' });
    expect(names(fields)).toEqual(['supervision_level', 'authority', 'document_no', 'leader', 'lead_department', 'public']);
    expect(required(fields)).toEqual(['supervision_level', 'authority', 'document_no', 'leader']);
  });

  it('the listing payload carries the listing level as `level`, trimmed text and public as a boolean', () => {
    const values = { supervision_level: 'province', authority: ' 省安委办 ', document_no: '闽安委办督〔2026〕2号', leader: '李', public: 'on', lead_department: ' ' };
    expect(actionPayload('list_supervision', values)).toEqual({ level: 'province', authority: '省安委办', document_no: '闽安委办督〔2026〕2号', leader: '李', public: true });
    expect(actionPayload('list_supervision', { ...values, public: undefined }).public).toBe(false);
  });

  it('approving a listed hazard asks where the phone is, or the reason why not on site', () => {
    expect(names(actionFields('approve', { level: 'major' }))).toEqual(['on_site', 'comment']);
    const fields = actionFields('approve', listed);
    expect(names(fields)).toEqual(['on_site', 'site_location', 'off_site_reason', 'comment']);
    expect(required(fields)).toEqual(['on_site']);
    expect(required(actionFields('approve', listed, { offSite: true }))).toEqual(['off_site_reason']);
  });

  it('the approval sends the location and the reason when given', () => {
    const location = { lat: 24.5, lng: 118.1, accuracy_m: 8, source: 'gps' };
    expect(actionPayload('approve', { on_site: 'on', location })).toEqual({ on_site: true, location });
    expect(actionPayload('approve', { off_site_reason: ' 停产封闭 ' })).toEqual({ on_site: false, off_site_reason: '停产封闭' });
  });

  it('a listed hazard is rejected without a new deadline: its term moves only by an approved extension', () => {
    expect(names(actionFields('reject', listed))).toEqual(['comment']);
    expect(names(actionFields('reject', { level: 'major' }))).toEqual(['comment', 'new_deadline']);
  });
});
