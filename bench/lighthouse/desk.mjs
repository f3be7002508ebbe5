// Lighthouse's desktop preset on a page that needs a signed-in user (the supervisor's dashboard, issue 13):
// node desk.mjs <origin> <hash> <username> <password> <runs>  → one JSON line {"scores": {category: [..]}}.
// Each run: a fresh Chromium profile, signed in through the app's own form at phone width (so no desk chunk is
// fetched before the measured load), then Lighthouse loads <origin>/<hash> keeping the storage (the session is
// in IndexedDB) but with the HTTP cache cleared, as a supervisor opening the desk for the first time that day.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const [origin, hash, username, password, runs = '3'] = process.argv.slice(2);
const CATEGORIES = ['performance', 'accessibility', 'best-practices'];
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];

async function signIn(page) {
  await page.setViewport({ width: 360, height: 640 });
  await page.goto(`${origin}/`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('[data-testid="login-username"]');
  await page.type('[data-testid="login-username"]', username);
  await page.type('[data-testid="login-password"]', password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForSelector('[data-testid="sync-status"]', { timeout: 30_000 });
  await page.waitForNetworkIdle({ idleTime: 500, timeout: 30_000 });
}

async function once() {
  const profile = mkdtempSync(join(tmpdir(), 'closeloop-lh-'));
  const browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH, userDataDir: profile, args: ARGS, headless: true });
  try {
    const page = await browser.newPage();
    await signIn(page);
    const client = await page.createCDPSession();
    await client.send('Network.clearBrowserCache'); // the desk's chunks as a first visit fetches them
    const flags = { output: 'json', logLevel: 'error', onlyCategories: CATEGORIES, disableStorageReset: true };
    const result = await lighthouse(`${origin}/${hash}`, flags, desktopConfig, page);
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    if (!lhr.finalDisplayedUrl.includes(hash.replace(/^\//, ''))) throw new Error(`ended on ${lhr.finalDisplayedUrl}`);
    // what was measured is the dashboard with its numbers, not the sign-in form or a failure
    await page.waitForSelector('[data-testid="dashboard"][data-busy="false"] [data-testid="stat-overdue"]', { timeout: 10_000 });
    return Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c].score]));
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const scores = Object.fromEntries(CATEGORIES.map((c) => [c, []]));
for (let i = 0; i < Number(runs); i += 1) {
  const got = await once();
  for (const c of CATEGORIES) scores[c].push(got[c]);
}
console.log(JSON.stringify({ scores }));
