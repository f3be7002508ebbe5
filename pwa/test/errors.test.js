import { describe, it, expect, afterEach } from 'vitest';
import zh from '../src/i18n/zh-CN.js';
import en from '../src/i18n/en.js';
import { setLang } from '../src/i18n/index.js';
import { ERROR_CODES, codeOf, describeProblem, fieldNames, problemFromError } from '../src/lib/errors.js';

afterEach(() => setLang('zh-CN'));
const CJK = /[\u4e00-\u9fff]/;

describe('error codes in the user language', () => {
  it('every code the contract lists, plus network and timeout, has a zh-CN and an en text', () => {
    expect(ERROR_CODES).toEqual(expect.arrayContaining(['validation_error', 'bad_request', 'unauthorized', 'forbidden', 'not_found',
      'method_not_allowed', 'conflict', 'stale', 'invalid_transition', 'invalid_cursor', 'photos_missing', 'unsupported_media_type',
      'payload_too_large', 'rate_limited', 'internal_error', 'network', 'timeout']));
    for (const code of [...ERROR_CODES, 'unknown']) {
      expect(zh[`error_${code}`], code).toMatch(CJK);
      expect(en[`error_${code}`], code).toMatch(/^[^\u4e00-\u9fff]+$/);
      expect(en[`error_${code}`]).not.toBe(zh[`error_${code}`]);
    }
  });

  it("the headline is the code's text; the server's English message is only the detail", () => {
    const said = describeProblem({ status: 409, code: 'photos_missing', message: 'After-photos have not arrived.' });
    expect(said.headline).toBe(zh.error_photos_missing);
    expect(said.headline).not.toContain('After-photos');
    expect(said.detail).toBe('409 · photos_missing · After-photos have not arrived.');
    setLang('en');
    expect(describeProblem({ status: 409, code: 'stale' }).headline).toBe(en.error_stale);
  });

  it('falls back on the status, then on the kind of failure', () => {
    expect(codeOf({ status: 413 })).toBe('payload_too_large');
    expect(codeOf({ status: 409, code: 'something_new' })).toBe('conflict');
    expect(codeOf({ status: 503, code: 'unavailable' })).toBe('internal_error');
    expect(codeOf({ status: 418 })).toBe('unknown');
    expect(codeOf({})).toBe('network');
  });

  it('thrown errors become problems', () => {
    expect(problemFromError(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toEqual({ code: 'timeout' });
    expect(problemFromError(new TypeError('Failed to fetch')).code).toBe('network');
    const api = Object.assign(new Error('x'), { status: 422, code: 'validation_error', body: { error: { message: 'm', fields: { title: ['x'] } } } });
    expect(problemFromError(api)).toEqual({ status: 422, code: 'validation_error', message: 'm', fields: { title: ['x'] } });
  });

  it('names the fields a 422 refused with the labels the forms use', () => {
    expect(fieldNames({ new_deadline: ['Too late.'], 'plan.time_limit': ['After the deadline.'], mystery: ['?'] }))
      .toEqual([zh.new_deadline, zh.plan_time_limit, 'mystery']);
    expect(describeProblem({ status: 422, code: 'validation_error', fields: { deadline: ['x'] } }).fields).toEqual([zh.deadline]);
  });
});
