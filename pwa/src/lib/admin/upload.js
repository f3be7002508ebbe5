// A file sent as multipart with its upload progress: fetch cannot report how much of a body has gone, so this is
// XMLHttpRequest, whose upload events can. The phases: 'uploading' (loaded/total bytes), then 'processing' (all
// sent, the server reads and judges the file: no measure of that, an indeterminate bar), then the answer.
import { API } from '../api.js';

export const UPLOAD_TIMEOUT_MS = 10 * 60_000; // 100,000 rows on a slow line: minutes, not forever

/**
 * → Promise<{status, body}> (any HTTP answer, the caller judges it); rejects with a TypeError when no answer came
 * (network) or an Error named TimeoutError.
 */
export function uploadFile({ path, file, fileName, query = {}, token, onProgress = () => {}, XHR = globalThis.XMLHttpRequest, FormDataImpl = globalThis.FormData }) {
  return new Promise((resolve, reject) => {
    const xhr = new XHR();
    const search = new URLSearchParams(query).toString();
    xhr.open('POST', `${API}/${path}${search ? `?${search}` : ''}`);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    xhr.responseType = 'text';
    xhr.setRequestHeader('Accept', 'application/json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.withCredentials = false;
    const total = file?.size ?? 0;
    xhr.upload.onprogress = (event) => {
      onProgress({ phase: 'uploading', loaded: event.loaded, total: event.lengthComputable ? event.total : total });
    };
    xhr.upload.onload = () => onProgress({ phase: 'processing', loaded: total, total });
    xhr.onload = () => {
      let body;
      const type = xhr.getResponseHeader('Content-Type') || '';
      if (type.includes('json')) {
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = undefined;
        }
      }
      onProgress({ phase: 'done', loaded: total, total });
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.onabort = () => reject(new TypeError('aborted'));
    xhr.ontimeout = () => reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' }));
    const form = new FormDataImpl();
    form.append('file', file, fileName || file?.name || 'upload');
    onProgress({ phase: 'uploading', loaded: 0, total });
    xhr.send(form);
  });
}

/** What the progress bar shows: a percentage while uploading, indeterminate (null) while the server works. */
export function progressView(progress) {
  if (!progress) return null;
  if (progress.phase === 'uploading') {
    const percent = progress.total > 0 ? Math.min(100, Math.round((progress.loaded / progress.total) * 100)) : null;
    return { phase: 'uploading', percent };
  }
  if (progress.phase === 'processing') return { phase: 'processing', percent: null };
  return null;
}
