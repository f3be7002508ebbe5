// Shrink photos off the main thread where the browser can (OffscreenCanvas in a worker), else on a canvas.
import { shrinkBitmap } from './shrink-core.js';

let worker;
let nextId = 0;
const waiting = new Map();

function inWorker(file) {
  if (!worker) {
    worker = new Worker(new URL('./shrink.worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => {
      const done = waiting.get(data.id);
      waiting.delete(data.id);
      if (data.error) done?.reject(new Error(data.error));
      else done?.resolve(data);
    };
  }
  const id = (nextId += 1);
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, file });
  });
}

async function decodeOnPage(file) {
  if (typeof createImageBitmap === 'function') {
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return { source: bitmap, width: bitmap.width, height: bitmap.height };
    } catch {
      /* fall through to an <img>, which browsers draw upright (image-orientation: from-image) */
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return { source: img, width: img.naturalWidth, height: img.naturalHeight };
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

async function onPage(file) {
  const { source, width, height } = await decodeOnPage(file);
  return shrinkBitmap(
    source,
    width,
    height,
    (w, h) => Object.assign(document.createElement('canvas'), { width: w, height: h }),
    (canvas, quality) => new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encode'))), 'image/jpeg', quality)),
  );
}

const workerOk = () => typeof Worker === 'function' && typeof OffscreenCanvas === 'function' && typeof createImageBitmap === 'function';

/** → { blob, width, height } : a JPEG, upright, long edge ≤ 1600 px, ≤ 500 KB. */
export async function shrinkPhoto(file) {
  if (workerOk()) {
    try {
      return await inWorker(file);
    } catch {
      /* some browsers have OffscreenCanvas without 2d or JPEG encoding in workers */
    }
  }
  return onPage(file);
}
