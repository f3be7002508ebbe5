// The table's export: the current filters' ledger (台账) downloaded from /findings/export, read chunk by chunk so
// the screen can say how far it is (against Content-Length, which the server sends for XLSX), then saved under
// the name the server gave it (Content-Disposition's RFC 5987 filename*: 隐患台账_湖里区_20261201.xlsx).
import { ApiError } from './api.js';
import { filterQuery } from './desk-filters.js';

const FALLBACK = { xlsx: '隐患台账.xlsx', csv: '隐患台账.csv', geojson: '隐患台账.geojson' };

/** The file name in a Content-Disposition header: filename* (UTF-8, percent-encoded) first, then filename. */
export function filenameFrom(disposition, fallback) {
  const header = disposition || '';
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star) {
    try {
      const name = decodeURIComponent(star[2].trim().replace(/^"|"$/g, ''));
      if (name) return safeName(name);
    } catch { /* a malformed escape: try the plain filename */ }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = plain && (plain[2] ?? plain[1]).trim();
  return name ? safeName(name) : fallback;
}

// A name is a name, never a path.
const safeName = (name) => name.replace(/[\\/]/g, '_');

/** The body as a Blob, telling onProgress({received, total}) after every chunk (total null when not sent). */
export async function readWithProgress(response, onProgress = () => {}) {
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const type = response.headers.get('content-type') || 'application/octet-stream';
  onProgress({ received: 0, total });
  if (!response.body?.getReader) {
    const blob = await response.blob();
    onProgress({ received: blob.size, total });
    return blob;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress({ received, total });
  }
  if (total !== null && received !== total) throw new ApiError(502, { error: { code: 'network', message: `got ${received} of ${total} bytes` } });
  return new Blob(chunks, { type });
}

/** Hands a Blob to the browser as a download under this name. */
export function saveBlob(blob, name, doc = document) {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // the download has long started
}

/** The export's API path for these filters (the list's filters; never a sort or a cursor). */
export const exportPath = (filters, format = 'xlsx') => {
  const query = filterQuery(filters);
  return `findings/export?format=${format}${query ? `&${query}` : ''}`;
};

/** Downloads the filters' ledger; resolves to {name, size} once it is saved, throws an ApiError if it failed. */
export async function exportFindings(api, filters, { format = 'xlsx', onProgress, save = saveBlob } = {}) {
  const response = await api.open(exportPath(filters, format));
  if ((response.headers.get('content-type') || '').startsWith('text/html')) throw new ApiError(502); // not our API: a portal's page
  const blob = await readWithProgress(response, onProgress);
  const name = filenameFrom(response.headers.get('content-disposition'), FALLBACK[format]);
  save(blob, name);
  return { name, size: blob.size };
}
