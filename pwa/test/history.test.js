import { describe, it, expect } from 'vitest';
import { historyDetails, historyLabel } from '../src/lib/history.js';

const ev = (action, payload = {}) => ({ id: 'e', action, payload });

describe('history labels say what happened', () => {
  it('names each action the way the users do', () => {
    expect(historyLabel(ev('report'))).toBe('上报');
    expect(historyLabel(ev('request_extension', { new_deadline: '2027-01-14', reason: '等材料' }))).toBe('延期申请 → 2027-01-14');
    expect(historyLabel(ev('decide_extension', { approved: true, granted_deadline: '2027-01-10' }))).toBe('批准延期至 2027-01-10');
    expect(historyLabel(ev('decide_extension', { approved: true, deadline_change: { from: '2027-01-01', to: '2027-01-14' } }))).toBe('批准延期至 2027-01-14');
    expect(historyLabel(ev('decide_extension', { approved: false }))).toBe('不批准延期');
    expect(historyLabel(ev('reject', { comment: '照片不清' }))).toBe('验收不通过');
    expect(historyLabel(ev('approve'))).toBe('验收通过');
    expect(historyLabel(ev('photo_added', { photo_id: 'p', kind: 'rectification' }))).toBe('补充照片');
    expect(historyLabel(ev('submit_plan'))).toBe('提交治理方案');
    expect(historyLabel(ev('escalate', { rule: 'escalated_street', level: 'street', days_overdue: 3 }))).toBe('逾期 3 天，已上报街道');
    expect(historyLabel(ev('escalate', { rule: 'escalated_city', level: 'city', days_overdue: 14 }))).toBe('逾期 14 天，已上报市级');
    expect(historyLabel(ev('something_new'))).toBe('something_new');
  });

  it('shows how the deadline moved, from payload.deadline_change', () => {
    expect(historyDetails(ev('reject', { comment: '未整改到位', deadline_change: { from: '2027-01-14', to: '2026-12-31' } })))
      .toEqual(['期限 2027-01-14 → 2026-12-31', '未整改到位']);
    expect(historyDetails(ev('confirm', { deadline_change: { from: null, to: '2027-01-14' } }))).toEqual(['期限定为 2027-01-14']);
  });

  it('says which pending request an event settled', () => {
    expect(historyDetails(ev('submit_rectification', { measures: '已更换', extension_settled: { status: 'withdrawn', requested_deadline: '2027-01-14' } })))
      .toEqual(['延期申请（至 2027-01-14）已撤回', '已更换']);
    expect(historyDetails(ev('reopen', { reason: '复查发现', extension_settled: { status: 'lapsed', requested_deadline: '2027-02-01' } }))[0])
      .toBe('延期申请（至 2027-02-01）已失效');
  });

  it('a photo says its kind; an approval says it was checked on site', () => {
    expect(historyDetails(ev('photo_added', { kind: 'evidence' }))).toEqual(['整改前']);
    expect(historyDetails(ev('approve', { on_site: true, comment: '合格' }))).toEqual(['已现场核验', '合格']);
  });
});

describe('挂牌督办 in the history', () => {
  it('names the listing with its level and 文号, and shows who and by whom', () => {
    const listing = { level: 'city', document_no: '厦安办督〔2026〕12号', authority: '厦门市安委办', leader: '王副市长', public: true };
    expect(historyLabel(ev('list_supervision', listing))).toBe('挂牌督办（市级）厦安办督〔2026〕12号');
    expect(historyDetails(ev('list_supervision', listing))).toEqual(['厦门市安委办', '王副市长']);
  });

  it('shows the delisting (摘牌) of the approval, and the reason when not checked on site', () => {
    const approval = { on_site: false, off_site_reason: '企业停产封闭', delisted: { supervision_id: 3, document_no: '厦安办督〔2026〕12号' } };
    expect(historyLabel(ev('approve', approval))).toBe('验收通过');
    expect(historyDetails(ev('approve', approval))).toEqual(['未现场核验：企业停产封闭', '摘牌：厦安办督〔2026〕12号']);
    expect(historyDetails(ev('approve', { on_site: true, delisted: { document_no: 'X' } }))).toEqual(['已现场核验', '摘牌：X']);
  });
});
