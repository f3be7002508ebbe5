import { shrinkBitmap } from './shrink-core.js';

self.onmessage = async ({ data }) => {
  try {
    const bitmap = await createImageBitmap(data.file, { imageOrientation: 'from-image' });
    const result = await shrinkBitmap(
      bitmap,
      bitmap.width,
      bitmap.height,
      (w, h) => new OffscreenCanvas(w, h),
      (canvas, quality) => canvas.convertToBlob({ type: 'image/jpeg', quality }),
    );
    bitmap.close();
    self.postMessage({ id: data.id, ...result });
  } catch (error) {
    self.postMessage({ id: data.id, error: String(error?.message || error) });
  }
};
