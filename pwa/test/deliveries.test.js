import { describe, it, expect, afterEach } from 'vitest';
import { setLang } from '../src/i18n/index.js';
import '../src/i18n/admin.js';
import adminZh from '../src/i18n/admin.zh-CN.js';
import adminEn from '../src/i18n/admin.en.js';
import {
  CHANNELS, DEFAULT_STATUS, STATUSES, channelLabel, deliveriesQuery, describeDelivery, emptyText, retryPath, retryProblem, statusLabel,
  statusOptions, statusTone, withUpdates,
} from '../src/lib/admin/deliveries.js';

afterEach(() => setLang('zh-CN'));

// A row as GET /api/v1/admin/deliveries lists it (app/api/admin_deliveries.py DeliverySchema).
const FAILED = {
  id: 41,
  notification_id: 7,
  finding_id: '0b9c7d2e-5a41-4c1e-9f00-2d8f1b3c4a55',
  title: '隐患 XM-2026-0001 将于 2026年12月8日 到期',
  recipient: 'zhang.san',
  channel: 'email',
  status: 'failed',
  attempts: 6,
  last_error: 'SMTP 554 5.7.1 rejected: relay denied',
  next_attempt_at: '2026-12-04T07:00:00+00:00',
  sent_at: null,
  created_at: '2026-12-04T01:00:00+00:00', // 09:00 in Shanghai
};

describe('the delivery list (消息发送)', () => {
  it('opens on the failed ones, and asks the API for one status, newest first, keyset paged', () => {
    expect(DEFAULT_STATUS).toBe('failed');
    expect(deliveriesQuery({})).toBe('admin/deliveries?limit=50&status=failed');
    expect(deliveriesQuery({ status: 'queued' }, 'ZDQx', 20)).toBe('admin/deliveries?limit=20&status=queued&cursor=ZDQx');
    expect(deliveriesQuery({ status: '' })).toBe('admin/deliveries?limit=50'); // all of them
    expect(retryPath(41)).toBe('admin/deliveries/41/retry');
  });

  it('names every status and channel in both languages, and shows an unknown code as it is', () => {
    expect(STATUSES.map(statusLabel)).toEqual(['失败', '待发送', '已发送']);
    expect(CHANNELS.map(channelLabel)).toEqual(['邮件', '群机器人']);
    expect(statusOptions().map((o) => [o.value, o.label])).toEqual([['failed', '失败'], ['queued', '待发送'], ['sent', '已发送'], ['', '全部']]);
    expect(statusLabel('bounced')).toBe('bounced');
    expect(channelLabel('sms')).toBe('sms');
    expect(channelLabel(null)).toBe('—');
    setLang('en');
    expect(STATUSES.map(statusLabel)).toEqual(['Failed', 'Queued', 'Sent']);
    expect(CHANNELS.map(channelLabel)).toEqual(['Email', 'Group robot']);
    for (const key of Object.keys(adminZh).filter((k) => k.startsWith('dlv_') || k.includes('deliveries'))) {
      expect(adminEn[key], key).toMatch(/^[^\u4e00-\u9fff]+$/);
      expect(adminZh[key], key).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('says per status that there is nothing, failed first', () => {
    expect(emptyText('failed')).toBe('没有发送失败的消息');
    expect(emptyText('queued')).toBe('没有待发送的消息');
    expect(emptyText('sent')).toBe('还没有已发送的消息');
    expect(emptyText('')).toBe('还没有消息发送记录');
    setLang('en');
    expect(emptyText('failed')).toBe('No message failed to send');
  });

  it('shows a failed row in Shanghai time, with the server\'s reason as it is and a retry', () => {
    const d = describeDelivery(FAILED);
    expect(d).toMatchObject({
      id: 41, recipient: 'zhang.san', channel: '邮件', status: '失败', attempts: '6', next: '—',
      reason: 'SMTP 554 5.7.1 rejected: relay denied', title: FAILED.title, sentAt: '', canRetry: true,
      findingHref: '#/f/0b9c7d2e-5a41-4c1e-9f00-2d8f1b3c4a55',
    });
    expect(d.when).toBe('2026年12月4日 09:00');
    setLang('en');
    expect(describeDelivery(FAILED).when).toBe('Dec 4, 2026, 9:00 AM');
  });

  it('shows when a queued one is tried next, keeps the last reason after a retry, and no retry for it', () => {
    const queued = { ...FAILED, status: 'queued', attempts: 0, next_attempt_at: '2026-12-04T16:30:00Z', channel: 'webhook' };
    const d = describeDelivery(queued);
    expect(d).toMatchObject({ status: '待发送', channel: '群机器人', attempts: '0', canRetry: false, reason: FAILED.last_error });
    expect(d.next).toBe('2026年12月5日 00:30'); // past midnight in Shanghai, still the 4th in UTC
  });

  it('shows when a sent one went out, with nothing to try next and no reason', () => {
    const sent = { ...FAILED, status: 'sent', attempts: 1, last_error: null, sent_at: '2026-12-04T01:00:05Z' };
    expect(describeDelivery(sent)).toMatchObject({ status: '已发送', sentAt: '2026年12月4日 09:00', next: '—', reason: '', canRetry: false });
    expect(describeDelivery({ ...sent, title: '', finding_id: null, recipient: '' })).toMatchObject({ title: '（无标题）', findingHref: '', recipient: '—' });
  });

  it('puts a retry\'s answer in place of its row, the others unchanged, and colours the statuses', () => {
    const other = { ...FAILED, id: 40 };
    const answer = { ...FAILED, status: 'queued', attempts: 0 };
    expect(withUpdates([FAILED, other], { 41: answer })).toEqual([answer, other]);
    expect(withUpdates([FAILED], {})).toEqual([FAILED]);
    expect(['failed', 'queued', 'sent', 'odd'].map(statusTone)).toEqual(['badge major', 'badge due', 'badge ok', 'badge']);
  });
});

describe('a refused retry', () => {
  it('says so about the message when it changed meanwhile, and reads the list again', () => {
    const conflict = retryProblem({ status: 409, code: 'invalid_transition', message: 'Only a failed delivery can be retried; this one is queued.' });
    expect(conflict.reload).toBe(true);
    expect(conflict.problem.headline).toBe('这条消息已不是“失败”状态（可能已被别人重新发送），列表已重新读取');
    expect(conflict.problem.detail).toBe('409 · invalid_transition · Only a failed delivery can be retried; this one is queued.');
    expect(retryProblem({ status: 404, code: 'not_found' })).toMatchObject({ reload: true, problem: { headline: '这条消息已不存在，列表已重新读取' } });
  });

  it('keeps the usual words for anything else, without reading again', () => {
    expect(retryProblem({ code: 'network' })).toMatchObject({ reload: false, problem: { code: 'network' } });
    expect(retryProblem({ status: 403, code: 'forbidden' }).reload).toBe(false);
  });
});
