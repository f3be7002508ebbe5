import { describe, it, expect, afterEach } from 'vitest';
import { setLang } from '../src/i18n/index.js';
import zh from '../src/i18n/zh-CN.js';
import adminZh from '../src/i18n/admin.zh-CN.js';
import adminEn from '../src/i18n/admin.en.js';
import { SECTIONS, DEFAULT_SECTION, adminRoute, href, sectionLabel, viewTitle } from '../src/lib/admin/nav.js';
import { fieldErrors, flatten, clientErrors, hasErrors } from '../src/lib/admin/fielderrors.js';
import { KNOWN, localize, messagesOf } from '../src/lib/admin/messages.js';
import { TEMPLATES, importOutcome, outcomeHeadline, samplesFor, templateCsv, toCsv, isSpreadsheet } from '../src/lib/admin/imports.js';
import { uploadFile, progressView } from '../src/lib/admin/upload.js';
import { ENTERPRISE_FIELDS, creditCheckCharacter, creditCodeProblem, enterprisePayload, enterpriseProblems, enterpriseValues } from '../src/lib/admin/enterprise.js';
import { ROLES, userFields, userPayload, userProblems, userQuery, userValues } from '../src/lib/admin/users.js';
import { passwordMessage, passwordProblem } from '../src/lib/password.js';
import { buildTree, childCodePrefix, childLevel, descendants, searchAreas, areaTrail } from '../src/lib/admin/areas.js';
import { changeLines, describeChange, auditQuery, ENTITIES } from '../src/lib/admin/audit.js';
import { referencePayload, referenceProblems, referenceValues, fieldsFor } from '../src/lib/admin/reference.js';

afterEach(() => setLang('zh-CN'));
const CJK = /[\u4e00-\u9fff]/;

describe('the admin navigation table', () => {
  it('lists the six sections in the order the issue names them (and issue 12\'s calendar and deliveries), each with a name in both languages', () => {
    expect(SECTIONS.map((s) => s.id)).toEqual(['users', 'enterprises', 'areas', 'categories', 'criteria', 'holidays', 'deliveries', 'audit']);
    expect(SECTIONS.map((s) => adminZh[sectionLabel(s.id)])).toEqual(['用户', '企业', '区划', '隐患类别', '判定标准', '工作日历', '消息发送', '操作日志']);
    for (const s of SECTIONS) {
      expect(adminEn[sectionLabel(s.id)]).toMatch(/^[^\u4e00-\u9fff]+$/);
      for (const view of s.views) {
        expect(adminZh[viewTitle(s.id, view)], `${s.id}/${view}`).toMatch(CJK);
        expect(adminEn[viewTitle(s.id, view)], `${s.id}/${view}`).toBeTruthy();
      }
    }
  });

  it('reads hash routes into a section and a view, and writes them back', () => {
    expect(adminRoute([])).toEqual({ section: DEFAULT_SECTION, view: 'list', id: null });
    expect(adminRoute(['admin', 'enterprises'])).toEqual({ section: 'enterprises', view: 'list', id: null });
    expect(adminRoute(['admin', 'enterprises', 'new'])).toEqual({ section: 'enterprises', view: 'new', id: null });
    expect(adminRoute(['admin', 'enterprises', 'import'])).toEqual({ section: 'enterprises', view: 'import', id: null });
    expect(adminRoute(['admin', 'users', '17'])).toEqual({ section: 'users', view: 'edit', id: '17' });
    expect(adminRoute(['admin', 'criteria', 'housing_2024'])).toEqual({ section: 'criteria', view: 'edit', id: 'housing_2024' });
    // what a section does not have falls back to its list; an unknown section to the first one
    expect(adminRoute(['admin', 'audit', 'new'])).toEqual({ section: 'audit', view: 'list', id: null });
    expect(adminRoute(['admin', 'areas', '350206'])).toEqual({ section: 'areas', view: 'list', id: null });
    expect(adminRoute(['admin', 'nonsense'])).toEqual({ section: 'users', view: 'list', id: null });
    for (const s of SECTIONS) {
      for (const view of s.views) {
        const hash = href(s.id, view, view === 'edit' ? 'x 1' : null);
        const back = adminRoute(hash.replace(/^#/, '').split('/').filter(Boolean).map(decodeURIComponent));
        expect(back).toEqual({ section: s.id, view, id: view === 'edit' ? 'x 1' : null });
      }
    }
    expect(() => href('nope')).toThrow();
  });
});

describe('server messages in the user language', () => {
  it('every pattern names a text in both catalogues', () => {
    for (const [, key] of KNOWN) {
      expect(adminZh[key], key).toMatch(CJK);
      expect(adminEn[key], key).toBeTruthy();
    }
  });

  it('translates what the admin API says, keeping the values; an unknown sentence stays as it came', () => {
    expect(localize('Not a valid unified social credit code: the check character (18th) is wrong.')).toEqual({ text: '统一社会信用代码校验码（第 18 位）不正确', translated: true });
    expect(localize('The same credit code as row 4.').text).toBe('与第 4 行的统一社会信用代码重复');
    expect(localize('No area with code 999.').text).toBe('没有区划代码 999');
    expect(localize('Missing data for required field.').text).toBe('必填');
    expect(localize('An enterprise lies in a street, community or grid, not a district.').text).toBe('企业应在街道、社区或网格下，不能在区/县');
    expect(localize('At most 100,000 rows in one file: split it.').text).toBe('一个文件最多 100000 行：请拆分后分别导入');
    expect(localize('Something new the server says.')).toEqual({ text: 'Something new the server says.', translated: false });
    setLang('en');
    expect(localize('Not a number.').text).toBe('Not a number');
  });

  it('reads the shapes the server sends a field in', () => {
    expect(messagesOf('x')).toEqual(['x']);
    expect(messagesOf(['x', 'y'])).toEqual(['x', 'y']);
    expect(messagesOf({ 0: ['x'], 1: 'y' })).toEqual(['x', 'y']);
    expect(messagesOf(null)).toEqual([]);
  });
});

describe('form field errors', () => {
  it('puts each 422 field next to the form field it belongs to, in Chinese', () => {
    const fields = {
      credit_code: 'Not a valid unified social credit code: must be 18 characters.',
      lat: ['Outside China: latitude lies between 3.8 and 53.6 (WGS-84).'],
      area: 'No area with code 999.',
    };
    const errors = fieldErrors(fields, ENTERPRISE_FIELDS);
    expect(errors.byField).toEqual({
      credit_code: ['统一社会信用代码应为 18 位'],
      lat: ['纬度不在中国境内（3.8–53.6，WGS-84）'],
      area: ['没有区划代码 999'],
    });
    expect(errors.other).toEqual([]);
    expect(hasErrors(errors)).toBe(true);
  });

  it('maps a body key to the field that shows it, and lists the rest by name so none is lost', () => {
    const errors = fieldErrors({ enterprise_id: ['An enterprise officer belongs to one enterprise.'], 'location.lat': ['x'], mystery: 'Unknown field.' },
      [...userFields('enterprise_officer', { creating: true }), { name: 'location', label: 'adm_field_lat' }]);
    expect(errors.byField.enterprise).toEqual(['企业安全员必须属于一个企业']);
    expect(errors.byField.location).toEqual(['x']);
    expect(errors.other).toEqual([{ name: 'mystery', label: 'mystery', texts: ['无法识别的字段'] }]);
  });

  it('flattens nested errors and takes the browser’s own checks in the same shape', () => {
    expect(flatten({ a: { b: ['x'] }, c: 'y' })).toEqual({ 'a.b': ['x'], c: ['y'] });
    expect(clientErrors({ name: ['adm_required'], credit_code: ['adm_max', { n: 30 }] }).byField).toEqual({ name: ['必填'], credit_code: ['最多 30 个字符'] });
    expect(hasErrors(fieldErrors(undefined, ENTERPRISE_FIELDS))).toBe(false);
  });
});

describe('the import result and its error table', () => {
  const rejected = {
    error: { code: 'validation_error', message: '4 problem(s) in 3 row(s); nothing was imported.', fields: { file: '…' } },
    rows: 5, created: 0, updated: 0, unchanged: 0, dry_run: false, error_count: 4,
    errors: [
      { row: 4, column: '统一社会信用代码', message: 'The same credit code as row 2.' },
      { row: 2, column: '经度', message: 'Not a number.' },
      { row: 3, column: '所在区划代码', message: 'No area with this code.' },
      { row: 2, column: '统一社会信用代码', message: 'Not a valid unified social credit code: the check character (18th) is wrong.' },
    ],
  };

  it('a 422 becomes every problem as a row (行 / 列 / 问题) in Chinese, by row, nothing written', () => {
    const outcome = importOutcome({ status: 422, body: rejected });
    expect(outcome.state).toBe('rejected');
    expect(outcome.errors.map((e) => [e.row, e.column, e.text])).toEqual([
      [2, '经度', '不是数字'],
      [2, '统一社会信用代码', '统一社会信用代码校验码（第 18 位）不正确'],
      [3, '所在区划代码', '没有这个区划'],
      [4, '统一社会信用代码', '与第 2 行的统一社会信用代码重复'],
    ]);
    expect(outcome.errors[0].original).toBe('Not a number.');
    expect(outcome).toMatchObject({ errorCount: 4, rowCount: 3, truncated: false });
    expect(outcomeHeadline(outcome)).toBe('文件有 4 处问题（涉及 3 行），未导入任何数据');
  });

  it('says when the server listed only the first problems', () => {
    const outcome = importOutcome({ status: 422, body: { ...rejected, error_count: 12000 } });
    expect(outcome).toMatchObject({ errorCount: 12000, truncated: true });
  });

  it('a 200 gives the counts: written, or a dry run that would write them', () => {
    const done = importOutcome({ status: 200, body: { rows: 3, created: 2, updated: 1, unchanged: 0, dry_run: false, errors: [] } });
    expect(done).toMatchObject({ state: 'done', counts: { rows: 3, created: 2, updated: 1, unchanged: 0 } });
    expect(outcomeHeadline(done)).toBe('导入完成：新增 2，更新 1，未变 0');
    const checked = importOutcome({ status: 200, body: { rows: 3, created: 3, updated: 0, unchanged: 0, dry_run: true, errors: [] }, dryRun: true });
    expect(checked.state).toBe('checked');
    expect(outcomeHeadline(checked)).toBe('试导入通过：将新增 3，更新 0，未变 0');
  });

  it('a file refused as a whole says why; no answer at all says so', () => {
    const empty = importOutcome({ status: 422, body: { error: { code: 'validation_error', message: 'The file is empty.', fields: { file: 'Empty.' } } } });
    expect(empty.state).toBe('failed');
    expect(empty.problem.headline).toBe(zh.error_validation_error);
    expect(empty.problem.fileTexts).toEqual(['文件是空的：第一行应为表头']);
    const big = importOutcome({ status: 413, body: { error: { code: 'payload_too_large', message: 'Too big.' } } });
    expect(big.problem.headline).toBe(zh.error_payload_too_large);
    const gone = importOutcome({ error: { code: 'network' } });
    expect(outcomeHeadline(gone)).toBe(zh.error_network);
  });

  it('the CSV templates have the Chinese headers each import reads, with a BOM for Excel', () => {
    expect(templateCsv('enterprises')).toBe('\ufeff企业名称,统一社会信用代码,所在区划代码,行业,地址,经度,纬度,主要负责人,联系电话\r\n');
    expect(TEMPLATES.enterprises.required).toEqual(['企业名称', '统一社会信用代码', '所在区划代码', '行业']);
    expect(toCsv([['a,b', 'say "hi"', 'x']])).toBe('\ufeff"a,b","say ""hi""",x\r\n');
    expect(isSpreadsheet('企业.XLSX')).toBe(true);
    expect(isSpreadsheet('old.xls')).toBe(false);
  });

  it('offers the sample files of its own import, the XLSX first', () => {
    const files = ['areas-sample.csv', 'enterprises-sample.csv', 'enterprises-sample.xlsx', 'users-sample.xlsx'];
    expect(samplesFor('enterprises', files)).toEqual([
      { name: 'enterprises-sample.xlsx', href: '/samples/enterprises-sample.xlsx', type: 'XLSX' },
      { name: 'enterprises-sample.csv', href: '/samples/enterprises-sample.csv', type: 'CSV' },
    ]);
    expect(samplesFor('users', files).map((s) => s.name)).toEqual(['users-sample.xlsx']);
    expect(samplesFor('areas', [])).toEqual([]);
  });
});

/** An XMLHttpRequest stand-in: records what was sent; the test plays the upload and the answer. */
function fakeXhr() {
  const made = [];
  class FakeXHR {
    constructor() {
      this.headers = {};
      this.upload = {};
      made.push(this);
    }
    open(method, url) { Object.assign(this, { method, url }); }
    setRequestHeader(k, v) { this.headers[k] = v; }
    getResponseHeader(name) { return name === 'Content-Type' ? this.type : null; }
    send(body) { this.body = body; }
    answer(status, json) {
      this.status = status;
      this.type = 'application/json';
      this.responseText = JSON.stringify(json);
      this.onload();
    }
  }
  class FakeForm {
    constructor() { this.parts = []; }
    append(...args) { this.parts.push(args); }
  }
  return { made, FakeXHR, FakeForm };
}

describe('the upload with its progress', () => {
  it('reports bytes while uploading, then an indeterminate phase while the server works, then the answer', async () => {
    const { made, FakeXHR, FakeForm } = fakeXhr();
    const seen = [];
    const file = { name: '企业.csv', size: 2000 };
    const done = uploadFile({ path: 'enterprises/import', file, query: { dry_run: 'true' }, token: 'tok', onProgress: (p) => seen.push(progressView(p)), XHR: FakeXHR, FormDataImpl: FakeForm });
    const xhr = made[0];
    expect([xhr.method, xhr.url]).toEqual(['POST', '/api/v1/enterprises/import?dry_run=true']);
    expect(xhr.headers.Authorization).toBe('Bearer tok');
    expect(xhr.body.parts).toEqual([['file', file, '企业.csv']]);
    xhr.upload.onprogress({ loaded: 500, total: 2000, lengthComputable: true });
    xhr.upload.onprogress({ loaded: 2000, total: 2000, lengthComputable: true });
    xhr.upload.onload();
    xhr.answer(422, { errors: [{ row: 2, column: '经度', message: 'Not a number.' }] });
    expect(await done).toEqual({ status: 422, body: { errors: [{ row: 2, column: '经度', message: 'Not a number.' }] } });
    expect(seen).toEqual([
      { phase: 'uploading', percent: 0 },
      { phase: 'uploading', percent: 25 },
      { phase: 'uploading', percent: 100 },
      { phase: 'processing', percent: null },
      null,
    ]);
  });

  it('no answer is a network error, a timeout a TimeoutError', async () => {
    const { made, FakeXHR, FakeForm } = fakeXhr();
    const failed = uploadFile({ path: 'x', file: { name: 'a.csv', size: 1 }, XHR: FakeXHR, FormDataImpl: FakeForm });
    made[0].onerror();
    await expect(failed).rejects.toBeInstanceOf(TypeError);
    const slow = uploadFile({ path: 'x', file: { name: 'a.csv', size: 1 }, XHR: FakeXHR, FormDataImpl: FakeForm });
    made[1].ontimeout();
    await expect(slow).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});

describe('the enterprise form', () => {
  const good = '91350206MA2XK4L71K';

  it('checks the credit code as GB 32100-2015 does', () => {
    expect(creditCheckCharacter(good.slice(0, 17))).toBe('K');
    expect(creditCodeProblem(good)).toBeNull();
    expect(creditCodeProblem(' 91350206ma2xk4l71k ')).toBeNull(); // as typed: spaces and case do not matter
    expect(creditCodeProblem(`${good.slice(0, 17)}A`)).toBe('adm_credit_check');
    expect(creditCodeProblem('123')).toBe('adm_credit_length');
    expect(creditCodeProblem('91350206MA2XK4L7IK')).toBe('adm_credit_alphabet');
    expect(creditCodeProblem('91ABCDEFMA2XK4L71K')).toBe('adm_credit_division');
  });

  it('says what is missing or out of China before sending', () => {
    const areas = new Map([['350206', { code: '350206', level: 'district' }], ['350206001', { code: '350206001', level: 'street' }]]);
    expect(enterpriseProblems({ name: '', credit_code: good, area: '350206', sector: 'manufacturing', lat: '24.5', lng: '' }, { areas })).toEqual({
      name: ['adm_required'], area: ['adm_area_too_coarse'], lng: ['adm_both_coordinates'], // the missing one
    });
    expect(enterpriseProblems({ name: 'x', credit_code: good, area: '350206001', sector: 'chemical', lat: '24.5', lng: '200' }, { areas })).toEqual({
      lng: ['adm_lng_china', { min: 73.5, max: 135.1 }],
    });
    expect(enterpriseProblems({ name: 'x', credit_code: good, area: '1', sector: 'x', lat: 'abc', lng: '118' }, { areas })).toEqual({
      area: ['adm_area_unknown'], lat: ['adm_not_number'],
    });
  });

  it('creates with the whole record and edits with only what changed', () => {
    const values = { ...enterpriseValues(), name: ' 鹭岛机械 ', credit_code: good.toLowerCase(), area: '350206001', sector: 'manufacturing', lng: '118.1', lat: '24.5' };
    expect(enterprisePayload(values)).toEqual({
      name: '鹭岛机械', credit_code: good, area: '350206001', sector: 'manufacturing', address: '', lat: 24.5, lng: 118.1, contact_name: '', contact_phone: '',
    });
    const record = { id: 3, name: '鹭岛机械', credit_code: good, area: { code: '350206001' }, sector: 'manufacturing', lat: 24.5, lng: 118.1, scale: null };
    expect(enterprisePayload({ ...enterpriseValues(record), contact_phone: '0592-1234567' }, record)).toEqual({ contact_phone: '0592-1234567' });
    expect(enterprisePayload({ ...enterpriseValues(record), lat: '24.6' }, record)).toEqual({ lat: 24.6, lng: 118.1 }); // a pair
    expect(enterprisePayload(enterpriseValues(record), record)).toEqual({});
  });
});

describe('the user form', () => {
  it('asks an officer for an enterprise, an admin for no area, and only a new account for a username and password', () => {
    const names = (role, creating) => userFields(role, { creating }).map((f) => f.name);
    expect(names('enterprise_officer', true)).toEqual(['username', 'display_name', 'role', 'area', 'enterprise', 'password', 'must_change_password']);
    expect(names('inspector', true)).toEqual(['username', 'display_name', 'role', 'area', 'password', 'must_change_password']);
    expect(names('admin', false)).toEqual(['display_name', 'role']);
    expect(userFields('inspector').find((f) => f.name === 'area').required).toBe(true);
    expect(userFields('enterprise_officer').find((f) => f.name === 'area').required).toBe(false); // the enterprise's area
    expect(ROLES.every((r) => zh[`role_${r}`])).toBe(true);
  });

  it('shows the password rule: 10 characters, not the username, not a first guess', () => {
    expect(passwordProblem('short', 'wang')).toEqual(['pw_too_short', { n: 10 }]);
    expect(passwordProblem('wang-2024-secret', 'Wang')).toEqual(['pw_has_username']);
    expect(passwordProblem('password123', 'li')).toEqual(['pw_too_common']);
    expect(passwordProblem('aaaaaaaaaaab', 'li')).toEqual(['pw_too_common']);
    expect(passwordProblem('海风吹过鼓浪屿的黄昏十分', 'li')).toBeNull();
    expect(passwordMessage('At least 10 characters.')).toEqual(['pw_too_short', { n: '10' }]);
    expect(passwordMessage('Wrong password.')).toEqual(['pw_wrong_current']);
    expect(passwordMessage('Brand new rule.')).toBeNull();
    const rule = zh.pw_rule;
    expect(rule).toContain('10');
    expect(rule).toContain('用户名');
  });

  it('checks a new account before sending and sends what the role needs', () => {
    const values = { ...userValues(), username: 'li', role: 'enterprise_officer', password: 'li-is-short' };
    expect(userProblems(values, { creating: true })).toEqual({ enterprise: ['adm_required'], password: ['pw_has_username'] });
    const ok = { ...values, username: 'li.na', password: 'tide-lantern-47', enterprise_id: 9, display_name: '李娜' };
    expect(userProblems(ok, { creating: true })).toEqual({});
    expect(userPayload(ok)).toEqual({ username: 'li.na', password: 'tide-lantern-47', role: 'enterprise_officer', must_change_password: true, display_name: '李娜', enterprise_id: 9 });
    const user = { id: 4, username: 'li.na', display_name: '李娜', role: 'enterprise_officer', area: { code: '35020600100101' }, enterprise: { id: 9 } };
    expect(userPayload({ ...userValues(user), role: 'inspector', area: '350206' }, user)).toEqual({ role: 'inspector', area: '350206', enterprise_id: null });
    expect(userPayload(userValues(user), user)).toEqual({});
  });

  it('turns the filters into the list query', () => {
    expect(userQuery({ role: 'inspector', area: ' 350206 ', active: 'false', q: '' })).toBe('users?limit=50&role=inspector&area=350206&active=false');
    expect(userQuery({}, '42')).toBe('users?limit=50&cursor=42');
  });
});

describe('areas, audit, categories and criteria', () => {
  const areas = [
    { code: '350200', name: '厦门市', level: 'city', parent_code: null },
    { code: '350206', name: '湖里区', level: 'district', parent_code: '350200' },
    { code: '350203', name: '思明区', level: 'district', parent_code: '350200' },
    { code: '350206001', name: '湖里街道', level: 'street', parent_code: '350206' },
    { code: '350206001001', name: '湖里社区', level: 'community', parent_code: '350206001', active: false },
  ];

  it('builds the tree and knows what a child is', () => {
    const [city] = buildTree(areas);
    expect(city.children.map((c) => c.code)).toEqual(['350203', '350206']);
    expect(descendants(city)).toBe(4);
    expect(childLevel('street')).toBe('community');
    expect(childLevel('grid')).toBeNull();
    expect(childCodePrefix(city)).toBe('3502');
    expect(childCodePrefix({ code: '350206001000', level: 'street' })).toBe('350206001');
    expect(searchAreas(areas, '湖里', { levels: ['street', 'community', 'grid'] }).map((a) => a.code)).toEqual(['350206001']);
    expect(searchAreas(areas, '3502').map((a) => a.code)).toEqual(['350200', '350203', '350206', '350206001']);
    expect(areaTrail(new Map(areas.map((a) => [a.code, a])), '350206001')).toBe('厦门市 / 湖里区 / 湖里街道');
  });

  it('shows an audit row as who, what and each field before → after', () => {
    const change = { id: 1, at: '2026-01-02T03:04:05Z', actor: { username: 'admin', display_name: '王管理' }, entity: 'enterprise', key: '91350206MA2XK4L71K', action: 'update', before: { contact_phone: '1', active: true }, after: { contact_phone: '2', active: false } };
    const d = describeChange(change);
    expect(d).toMatchObject({ who: '王管理', entity: '企业', action: '修改', key: '91350206MA2XK4L71K' });
    expect(d.lines).toEqual([
      { field: 'contact_phone', label: '联系电话', before: '1', after: '2' },
      { field: 'active', label: '在用', before: '是', after: '否' },
    ]);
    expect(changeLines({ before: null, after: { name: 'x', odd_field: null } })).toEqual([
      { field: 'name', label: '名称', before: null, after: 'x' },
      { field: 'odd_field', label: 'odd_field', before: null, after: '—' },
    ]);
    expect(changeLines({ before: { role: 'inspector' }, after: { role: 'enterprise_officer' } })[0]).toMatchObject({ before: '检查员', after: '企业安全员' });
    expect(describeChange({ ...change, actor: null, action: 'something_new' })).toMatchObject({ who: '运维命令行', action: 'something_new' });
    expect(ENTITIES.every((e) => adminZh[`adm_entity_${e}`] && adminEn[`adm_entity_${e}`])).toBe(true);
    expect(auditQuery({ entity: 'user', actor: ' admin ' }, 'c1')).toBe('admin/audit?limit=50&entity=user&actor=admin&cursor=c1');
  });

  it('categories and criteria: whole to create, the change to edit, dates in order', () => {
    expect(fieldsFor('criteria', false).map((f) => f.name)).not.toContain('code');
    const values = { ...referenceValues('criteria'), code: 'fishing_2022', title: '渔业船舶重大事故隐患判定标准', issuing_body: '农业农村部', document_number: '农渔发〔2022〕11号', effective_on: '2022-07-01' };
    expect(referenceProblems('criteria', values, { creating: true })).toEqual({});
    expect(referencePayload('criteria', values)).toEqual({ code: 'fishing_2022', active: true, title: values.title, issuing_body: '农业农村部', document_number: '农渔发〔2022〕11号', effective_on: '2022-07-01' });
    expect(referenceProblems('criteria', { ...values, repealed_on: '2022-01-01' })).toEqual({ repealed_on: ['adm_repealed_after'] });
    expect(referenceProblems('categories', { code: 'Road Traffic', name_zh: '', name_en: 'Road' }, { creating: true })).toEqual({ name_zh: ['adm_required'], code: ['adm_code_shape'] });
    const category = { code: 'road', name_zh: '道路交通', name_en: 'Road traffic', sort_order: 5, active: true };
    expect(referencePayload('categories', { ...referenceValues('categories', category), active: false }, category)).toEqual({ active: false });
  });
});
