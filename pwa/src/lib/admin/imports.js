// A bulk import's answer → what the import screen shows: the counts, or every problem as a table row (行 / 列 /
// 问题) in the user's language; and the CSV templates with the headers each import reads.
import { t } from '../../i18n/index.js';
import { describeProblem } from '../errors.js';
import { localize } from './messages.js';
import { fieldErrors } from './fielderrors.js';

/** The columns each import reads, as the file's first row writes them (the server's order). */
export const TEMPLATES = {
  enterprises: {
    file: 'enterprises-template.csv',
    columns: ['企业名称', '统一社会信用代码', '所在区划代码', '行业', '地址', '经度', '纬度', '主要负责人', '联系电话'],
    required: ['企业名称', '统一社会信用代码', '所在区划代码', '行业'],
  },
  users: {
    file: 'users-template.csv',
    columns: ['用户名', '姓名', '角色', '所在区划代码', '企业信用代码', '初始密码'],
    required: ['用户名', '角色'],
  },
  areas: {
    file: 'areas-template.csv',
    columns: ['区划代码', '名称', '上级区划代码', '层级'],
    required: ['区划代码', '名称', '上级区划代码', '层级'], // 上级区划代码 may be empty for a city
  },
};

/** The sample files (docs/samples, served with the build at /samples/) of one import, XLSX first. */
export function samplesFor(kind, files = []) {
  return files
    .filter((name) => name.startsWith(`${kind}-sample.`))
    .sort((a, b) => Number(b.endsWith('.xlsx')) - Number(a.endsWith('.xlsx')) || a.localeCompare(b))
    .map((name) => ({ name, href: `/samples/${encodeURIComponent(name)}`, type: name.split('.').pop().toUpperCase() }));
}

export const IMPORT_ENDPOINTS = { enterprises: 'enterprises/import', users: 'users/import', areas: 'areas/import' };

const cell = (value) => {
  const text = String(value ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** CSV text with a BOM (so Excel reads it as UTF-8) and CRLF line ends. */
export function toCsv(rows) {
  return `\ufeff${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function templateCsv(kind) {
  return toCsv([TEMPLATES[kind].columns]);
}

const count = (n) => (Number.isFinite(n) ? n : 0);

/**
 * → { state, dryRun, counts: {rows, created, updated, unchanged}, errors: [{row, column, text, original}],
 *     errorCount, rowCount (rows with problems), truncated, problem }
 * state: 'done' (written), 'checked' (a dry run that found nothing wrong), 'rejected' (the file has problems:
 * nothing written), 'failed' (refused before the rows were judged, or no answer).
 */
export function importOutcome({ status, body, error, dryRun = false }) {
  const counts = {
    rows: count(body?.rows), created: count(body?.created), updated: count(body?.updated), unchanged: count(body?.unchanged),
  };
  if (error || !status) {
    return { state: 'failed', dryRun, counts, errors: [], errorCount: 0, rowCount: 0, truncated: false, problem: describeProblem(error || {}) };
  }
  if (status >= 200 && status < 300 && body && !body.error) {
    return { state: body.dry_run || dryRun ? 'checked' : 'done', dryRun: Boolean(body.dry_run ?? dryRun), counts, errors: [], errorCount: 0, rowCount: 0, truncated: false, problem: null };
  }
  const problem = describeProblem({ status, code: body?.error?.code, message: body?.error?.message });
  if (status === 422 && Array.isArray(body?.errors) && body.errors.length) {
    const errors = body.errors
      .map((e, i) => ({ row: e.row ?? null, column: e.column || '', original: e.message || '', text: localize(e.message).text, i }))
      .sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || a.i - b.i)
      .map(({ i, ...e }) => e);
    const errorCount = Math.max(count(body.error_count), errors.length);
    return {
      state: 'rejected', dryRun, counts, errors, errorCount,
      rowCount: new Set(errors.map((e) => e.row)).size, truncated: errorCount > errors.length, problem,
    };
  }
  // refused as a whole (an empty file, not a spreadsheet, too big): what the server said about the file
  const about = fieldErrors(body?.error?.fields, [{ name: 'file' }]);
  return {
    state: 'failed', dryRun, counts, errors: [], errorCount: 0, rowCount: 0, truncated: false,
    problem: { ...problem, fileTexts: [...(about.byField.file || []), ...about.other.flatMap((o) => o.texts)] },
  };
}

/** The sentence above the result. */
export function outcomeHeadline(outcome) {
  const { counts } = outcome;
  if (outcome.state === 'done') return t('adm_import_done', counts);
  if (outcome.state === 'checked') return t('adm_import_checked', counts);
  if (outcome.state === 'rejected') return t('adm_import_rejected', { n: outcome.errorCount, rows: outcome.rowCount });
  return outcome.problem?.headline || t('error_unknown');
}

/** Which file types the picker offers, and whether a picked file is one of them (by name; the server reads the bytes). */
export const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';
export const isSpreadsheet = (name = '') => /\.(xlsx|csv)$/i.test(name);
