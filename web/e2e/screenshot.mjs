// Refresh the documentation screenshot (docs/img/workspace.png): portrait + map of one customer.
//
//   python main.py serve --demo          # demo data on http://127.0.0.1:8000
//   node web/e2e/screenshot.mjs --base-url http://127.0.0.1:8000 --customer c-000292 --out docs/img/workspace.png

import path from 'node:path';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const base = opt('--base-url', 'http://127.0.0.1:8000').replace(/\/$/, '');
const customer = opt('--customer', 'c-000292');
const out = path.resolve(opt('--out', 'docs/img/workspace.png'));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US', timezoneId: 'UTC' });
await page.goto(`${base}/app/#/customer/${encodeURIComponent(customer)}`);
await page.waitForSelector('#side[data-state="ready"]', { timeout: 30000 });
await page.waitForSelector('#mapview[data-state="ready"]', { timeout: 30000 });
await page.waitForSelector('#cy[data-busy="false"]');
await page.waitForTimeout(300);
await page.screenshot({ path: out });
await browser.close();
console.log(`wrote ${out}`);
