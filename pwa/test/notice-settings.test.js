import { describe, it, expect } from 'vitest';
import { fieldErrors, formOf, payloadOf, toggle } from '../src/lib/notice-settings.js';
import { setLang, t } from '../src/i18n/index.js';
import { noticeKind } from '../src/i18n/notices.js';

describe('notification settings', () => {
  it('shows only the channels the server offers, and what was chosen among them', () => {
    const form = formOf({ email: null, channels: ['email', 'webhook'], available_channels: ['email'] });
    expect(form).toEqual({ email: '', channels: ['email'], offered: ['email'] });
    expect(formOf({ email: 'a@b.cn', channels: [], available_channels: [] }).offered).toEqual([]);
  });

  it('sends an empty address as none, and the channels in one order without repeats', () => {
    expect(payloadOf({ email: '  ', channels: ['webhook', 'email'] })).toEqual({ email: null, channels: ['email', 'webhook'] });
    expect(payloadOf({ email: ' li@example.cn ', channels: toggle(toggle([], 'email', true), 'email', true) }))
      .toEqual({ email: 'li@example.cn', channels: ['email'] });
    expect(toggle(['email', 'webhook'], 'email', false)).toEqual(['webhook']);
  });

  it('says a 422 in Chinese, field by field', () => {
    setLang('zh-CN');
    const bad = fieldErrors({ email: ['Not a valid email address.'] }, { email: 'li@', channels: [] });
    expect(bad).toEqual({ email: '请输入有效的电子邮箱地址，例如 name@example.com' });
    const missing = fieldErrors({ email: 'An email address is needed to receive email.' }, { email: '', channels: ['email'] });
    expect(missing.email).toBe('选择邮件通知时，请填写电子邮箱');
    expect(fieldErrors({ channels: 'Not available on this server: webhook.' }, { email: '', channels: [] }))
      .toEqual({ channels: '所选接收方式不可用' });
    expect(fieldErrors({ '_schema': ['x'] }, { email: '', channels: [] })._form).toBe('_schema：内容不符合要求');
    expect(t('settings_title')).toBe('通知设置');
    setLang('en');
    expect(fieldErrors({ email: ['x'] }, { email: 'x', channels: [] }).email).toBe('Enter a valid email address, e.g. name@example.com');
    setLang('zh-CN');
  });

  it('names each kind of notification the server writes, and an unknown one as 通知', () => {
    setLang('zh-CN');
    const kinds = ['reminder', 'overdue', 'escalation', 'triage', 'order', 'review', 'extension', 'rejected', 'reopened', 'voided'];
    expect(kinds.map(noticeKind)).toEqual(['到期提醒', '已逾期', '逾期升级', '待确认提醒', '整改通知', '待验收', '延期', '验收不通过', '重新整改', '已撤销']);
    expect(noticeKind('supervision_listed')).toBe('通知');
    expect(noticeKind(undefined)).toBe('通知');
  });
});
