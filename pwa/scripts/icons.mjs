// Draws the app icons (a closed loop with a tick) as PNGs into public/icons, and public/favicon.ico.
// Pure Node: no image library. Run by `npm run build`; the outputs are not committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PUBLIC = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const BG = [11, 61, 145]; // #0b3d91, the theme colour
const FG = [255, 255, 255];
const ACCENT = [255, 193, 7]; // #ffc107

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgb) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 3 + 1)] = 0;
    rgb.copy(raw, y * (size * 3 + 1) + 1, y * size * 3, (y + 1) * size * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function segDist(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** scale: how much of the canvas the drawing spans (maskable icons keep to the inner safe zone). */
function draw(size, scale) {
  const out = Buffer.alloc(size * size * 3);
  const S = 4; // supersampling
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const acc = [0, 0, 0];
      for (let sy = 0; sy < S; sy += 1) {
        for (let sx = 0; sx < S; sx += 1) {
          const u = ((x + (sx + 0.5) / S) / size - 0.5) / scale;
          const v = ((y + (sy + 0.5) / S) / size - 0.5) / scale;
          const r = Math.hypot(u, v);
          let c = BG;
          if (Math.abs(r - 0.36) < 0.065) c = FG;
          const tick = Math.min(segDist(u, v, -0.17, 0.0, -0.04, 0.13), segDist(u, v, -0.04, 0.13, 0.19, -0.12));
          if (tick < 0.055) c = ACCENT;
          acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2];
        }
      }
      const i = (y * size + x) * 3;
      out[i] = Math.round(acc[0] / (S * S));
      out[i + 1] = Math.round(acc[1] / (S * S));
      out[i + 2] = Math.round(acc[2] / (S * S));
    }
  }
  return png(size, out);
}

function ico(pngBytes, size) {
  const head = Buffer.alloc(22);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2); // icon
  head.writeUInt16LE(1, 4); // one image
  head[6] = size; head[7] = size; head[8] = 0; head[9] = 0;
  head.writeUInt16LE(1, 10); head.writeUInt16LE(32, 12);
  head.writeUInt32LE(pngBytes.length, 14);
  head.writeUInt32LE(22, 18);
  return Buffer.concat([head, pngBytes]);
}

mkdirSync(join(PUBLIC, 'icons'), { recursive: true });
const files = {
  'icons/icon-192.png': draw(192, 1),
  'icons/icon-512.png': draw(512, 1),
  'icons/icon-maskable-192.png': draw(192, 0.8),
  'icons/icon-maskable-512.png': draw(512, 0.8),
  'icons/apple-touch-icon.png': draw(180, 0.9),
};
for (const [name, bytes] of Object.entries(files)) writeFileSync(join(PUBLIC, name), bytes);
writeFileSync(join(PUBLIC, 'favicon.ico'), ico(draw(32, 1), 32));
console.log(`icons: ${Object.keys(files).length + 1} files in public/`);
