// Prints the gzipped weight of the build as JSON: the JS needed before the first screen (the entry
// scripts and module preloads named by index.html) and the whole shell (every precached file + sw.js).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = process.argv.slice(2).find((a) => !a.startsWith('--')) || join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`no build in ${DIST}: run npm run build first`);
  process.exit(1);
}
const gz = (file) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [relative(DIST, path)];
  });

const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const firstScreen = new Set(
  [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/?([^"]+\.m?js)"/g)].map((m) => m[1]),
);
const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
const precached = new Set([...sw.matchAll(/"?url"?:\s*"([^"]+)"/g)].map((m) => m[1].replace(/^\//, '')));
const shell = files(DIST).filter((f) => precached.has(f) || f === 'sw.js');

const report = {
  first_screen_js_gz: [...firstScreen].reduce((sum, f) => sum + gz(f), 0),
  shell_gz: shell.reduce((sum, f) => sum + gz(f), 0),
};
if (process.argv.includes('--verbose')) {
  report.first_screen_files = [...firstScreen];
  report.shell_files = Object.fromEntries(shell.map((f) => [f, gz(f)]));
}
console.log(JSON.stringify(report));
