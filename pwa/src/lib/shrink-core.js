// Shrinking a photo: decode it the right way up, scale the long edge to 1600 px, JPEG about 0.8, ≤ 500 KB.
export const MAX_EDGE = 1600;
export const MAX_BYTES = 500 * 1024;

export function fitWithin(width, height, max = MAX_EDGE) {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** makeCanvas(w, h) → a canvas; encode(canvas, quality) → Promise<Blob>. */
export async function shrinkBitmap(source, width, height, makeCanvas, encode) {
  let size = fitWithin(width, height);
  for (let round = 0; round < 4; round += 1) {
    const canvas = makeCanvas(size.width, size.height);
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(source, 0, 0, size.width, size.height);
    for (const quality of [0.8, 0.7, 0.6]) {
      const blob = await encode(canvas, quality);
      if (blob.size <= MAX_BYTES) return { blob, ...size };
    }
    size = { width: Math.round(size.width * 0.8), height: Math.round(size.height * 0.8) };
  }
  throw new Error('photo too large');
}
