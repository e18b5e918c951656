// Browser tests of the workspace: headless Debian Chromium driven by playwright-core, against a
// running service that holds e2e/known-graph.json (tests/test_web_e2e.py sets that up).
//
//   node e2e/run.mjs --base-url http://127.0.0.1:8000 [--out ../test-artifacts/web]
//   node e2e/run.mjs --mock          # against e2e/mock-api.mjs instead of the service
//
// Exits 0 when every check passed; screenshots go to --out.

import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const out = path.resolve(opt('--out', path.resolve(here, '../../test-artifacts/web')));
const only = opt('--only', '');
const executablePath = process.env.CHROMIUM || opt('--chromium', '/usr/bin/chromium');
fs.mkdirSync(out, { recursive: true });

let baseUrl = opt('--base-url', '');
let mock = null;
if (args.includes('--mock')) {
  const { startMock } = await import('./mock-api.mjs');
  mock = await startMock(0);
  baseUrl = `http://127.0.0.1:${mock.address().port}`;
}
if (!baseUrl) {
  console.error('usage: node e2e/run.mjs --base-url http://127.0.0.1:PORT [--out DIR] | --mock');
  process.exit(2);
}
const APP = `${baseUrl.replace(/\/$/, '')}/app/`;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US', timezoneId: 'UTC' });
context.setDefaultTimeout(15000);

const results = [];
async function check(name, fn) {
  if (only && !name.includes(only)) return;
  const page = await context.newPage();
  const consoleErrors = [];
  const foreign = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  // The page must work offline: nothing may be fetched from anywhere but the service.
  page.on('request', (r) => {
    if (!r.url().startsWith(baseUrl) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  const t0 = Date.now();
  try {
    await fn(page);
    assert.deepEqual(consoleErrors, [], 'no uncaught errors in the page');
    assert.deepEqual(foreign, [], 'no requests leave the service (works without internet)');
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false, error: e });
    console.log(`FAIL ${name}\n     ${String(e.stack || e).split('\n').slice(0, 6).join('\n     ')}`);
    await page.screenshot({ path: path.join(out, `FAILED-${slug(name)}.png`) }).catch(() => {});
  } finally {
    await page.close();
  }
}
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const shot = (page, name) => page.screenshot({ path: path.join(out, `${name}.png`) });

// ---- helpers ------------------------------------------------------------------------------

async function mapReady(page) {
  await page.waitForSelector('#mapview[data-state="ready"]');
  await page.waitForSelector('#cy[data-busy="false"]');
}

const visibleNodes = (page) =>
  page.evaluate(() => window.__custgraph.cy.nodes().filter((n) => n.visible()).map((n) => n.id()).sort());

async function clickNode(page, key) {
  const box = await page.locator('#cy').boundingBox();
  const pos = await page.evaluate((k) => {
    const n = window.__custgraph.cy.getElementById(k);
    return n.empty() ? null : n.renderedPosition();
  }, key);
  assert.ok(pos, `node ${key} is on the map`);
  await page.mouse.click(box.x + pos.x, box.y + pos.y);
}

async function openCustomer(page, id) {
  await page.goto(`${APP}#/customer/${encodeURIComponent(id)}`);
  await page.waitForSelector('#side[data-state="ready"]');
  await mapReady(page);
}

// ---- the checks ---------------------------------------------------------------------------

await check('search by name opens the right portrait', async (page) => {
  await page.goto(APP);
  await page.fill('#search-input', 'alice');
  const item = page.locator('#search-results li[data-id="c-alice"]');
  await item.waitFor();
  assert.match(await item.innerText(), /Alice Wang/);
  await item.click();
  await page.waitForSelector('#side[data-state="ready"]');
  assert.equal(await page.textContent('#portrait-name'), 'Alice Wang');
  const field = (f) => page.locator(`.portrait [data-field="${f}"]`).first().innerText();
  assert.equal(await field('email'), 'alice@acme.example');
  assert.match(await field('phone'), /\+?86\s?138\s?0000\s?0001|\+8613800000001/);
  assert.match(await field('employer'), /^Acme Robotics · CTO$/);
  assert.equal(await field('knowsCount'), '1');
  // RFM and statistics: purchases of 300 (3 days ago) and 100 (40 days ago)
  assert.match(await field('monetary'), /400/);
  assert.match(await field('frequency'), /\b2\b/);
  assert.match(await field('recency'), /\b3 days\b/);
  assert.match(await field('totalPurchaseAmount'), /^400$/);
  await mapReady(page);
  await shot(page, '01-portrait-and-map');
});

await check('search by phone and by email find the customer', async (page) => {
  await page.goto(APP);
  await page.fill('#search-input', '13800000003');
  await page.locator('#search-results li[data-id="c-chen"]').waitFor();
  assert.match(await page.locator('#search-results li[data-id="c-chen"]').innerText(), /陈静/);
  await page.fill('#search-input', 'eve@lotus');
  await page.locator('#search-results li[data-id="c-eve"]').waitFor();
  await page.fill('#search-input', '莲花');
  await page.locator('#search-results li[data-type="Company"][data-id="co-lotus"]').waitFor();
  await shot(page, '02-search-cjk');
});

await check('tags are grouped by category with their validity', async (page) => {
  await openCustomer(page, 'c-alice');
  const group = (c) => page.locator(`.tag-group[data-category="${c}"]`);
  assert.equal(await group('value').locator('[data-tag="vip"]').getAttribute('data-valid'), 'true');
  assert.equal(await group('risk').locator('[data-tag="churn_risk"]').getAttribute('data-valid'), 'false');
  assert.match(await group('role').innerText(), /技术决策者/);
  await group('value').locator('[data-tag="vip"]').click();
  await page.waitForSelector('#why:not([hidden])');
  const details = await page.innerText('#why');
  assert.match(details, /manual by li\.na/);
  assert.match(details, /Annual contract above 100k/);
  // The tag engine's explanation (Customer.whyTagged) follows in the same panel.
  await page.waitForSelector('#why-text[data-state="ready"]');
  assert.match(await page.innerText('#why-text'), /vip/);
  await shot(page, '02b-tag-details');
});

await check('the map shows the right neighbours', async (page) => {
  await openCustomer(page, 'c-alice');
  const nodes = await visibleNodes(page);
  for (const k of ['Customer:c-alice', 'Customer:c-bob', 'Customer:c-chen', 'Company:co-acme', 'Project:p-acme-crm']) {
    assert.ok(nodes.includes(k), `${k} on the map (got ${nodes.join(', ')})`);
  }
  for (const k of ['Customer:c-dan', 'Customer:c-eve', 'Customer:c-finn', 'Company:co-lotus']) {
    assert.ok(!nodes.includes(k), `${k} not on the map at depth 1`);
  }
  // Switching acquaintances off hides Bob only if nothing else links him (he is also a colleague and project member).
  await page.locator('.kind[data-kind="referral"] input').uncheck();
  const withoutReferrals = await visibleNodes(page);
  assert.ok(!withoutReferrals.includes('Customer:c-chen'), 'referral filter hides 陈静');
  await page.locator('.kind[data-kind="referral"] input').check();
  assert.ok((await visibleNodes(page)).includes('Customer:c-chen'));
});

await check('deeper networks are fetched again with only the shown kinds', async (page) => {
  await openCustomer(page, 'c-alice');
  await page.selectOption('#depth', '2');
  await page.waitForFunction(() => window.__custgraph.cy.getElementById('Customer:c-dan').nonempty());
  await mapReady(page);
  const depth2 = await visibleNodes(page);
  for (const k of ['Customer:c-dan', 'Customer:c-eve', 'Company:co-lotus']) assert.ok(depth2.includes(k), `${k} two steps out`);
  const refetch = page.waitForRequest((r) => r.postDataJSON()?.operationName === 'WorkspaceNetwork' && Array.isArray(r.postDataJSON()?.variables?.kinds));
  await page.locator('.kind[data-kind="referral"] input').uncheck();
  const sent = (await refetch).postDataJSON().variables.kinds;
  assert.deepEqual([...sent].sort(), ['COLLEAGUE', 'KNOWS']);
  await page.waitForFunction(() => window.__custgraph.cy.getElementById('Customer:c-dan').empty());
  await mapReady(page);
  const without = await visibleNodes(page);
  assert.ok(!without.includes('Customer:c-chen') && !without.includes('Customer:c-eve'), 'nothing reached through the referral');
  assert.ok(without.includes('Customer:c-bob'));
  await shot(page, '03b-depth2-filtered');
});

await check('clicking a node expands its neighbours', async (page) => {
  await openCustomer(page, 'c-alice');
  const before = await visibleNodes(page);
  assert.ok(!before.includes('Customer:c-dan'));
  await clickNode(page, 'Customer:c-chen');
  await page.waitForFunction(() => window.__custgraph.cy.getElementById('Customer:c-dan').nonempty());
  await page.waitForSelector('#cy[data-busy="false"]');
  const after = await visibleNodes(page);
  assert.ok(after.includes('Customer:c-dan'), 'Dan (knows 陈静) added');
  assert.ok(after.includes('Company:co-lotus'), '莲花科技 (陈静 works there) added');
  assert.ok(after.length > before.length);
  assert.match(await page.innerText('#node-info'), /陈静/);
  await shot(page, '03-expanded');
});

await check('the path between two customers is highlighted', async (page) => {
  await openCustomer(page, 'c-alice');
  await page.fill('#path-input', 'Dan');
  const item = page.locator('#path-results li[data-id="c-dan"]');
  await item.waitFor();
  await item.click();
  await page.waitForSelector('#path-result[data-state="found"]');
  await page.waitForSelector('#cy[data-busy="false"]');
  const steps = await page.locator('.path-steps li').evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.deepEqual(steps, ['c-alice', 'c-chen', 'c-dan']);
  const lit = await page.evaluate(() => ({
    nodes: window.__custgraph.cy.nodes('.path').map((n) => n.id()).sort(),
    edges: window.__custgraph.cy.edges('.path').length,
  }));
  assert.deepEqual(lit.nodes, ['Customer:c-alice', 'Customer:c-chen', 'Customer:c-dan']);
  assert.equal(lit.edges, 2);
  await page.waitForTimeout(400); // let the zoom-to-path animation settle for the screenshot
  await shot(page, '04-path');
});

await check('a customer without relationships shows an empty map message', async (page) => {
  await openCustomer(page, 'c-finn');
  await page.waitForSelector('#map-empty:not([hidden])');
  assert.match(await page.innerText('#map-empty'), /No relationships/);
});

await check('a truncated network says so', async (page) => {
  // The known graph is far below the node cap, so mark the service's real answer as truncated.
  await page.route('**/graphql', async (route) => {
    if (route.request().postDataJSON()?.operationName !== 'WorkspaceNetwork') return route.continue();
    const res = await route.fetch();
    const body = await res.json();
    body.data.customer.network.truncated = true;
    await route.fulfill({ response: res, json: body });
  });
  await openCustomer(page, 'c-alice');
  await page.waitForSelector('#map-notice:not([hidden])');
  assert.match(await page.innerText('#map-notice'), /larger than the map can show/);
  assert.ok((await visibleNodes(page)).includes('Customer:c-bob'), 'what did come is still drawn');
});

await check('an unknown customer id is explained', async (page) => {
  await page.goto(`${APP}#/customer/no-such-customer`);
  await page.waitForSelector('.empty-card');
  assert.match(await page.innerText('.empty-card'), /no customer with id “no-such-customer”/i);
});

await check('API errors are shown in plain words', async (page) => {
  // 1. An error from the real API: a network depth outside 1..3 is refused as bad input.
  await openCustomer(page, 'c-alice');
  await page.evaluate(() => {
    const sel = document.getElementById('depth');
    sel.append(new Option('9', '9'));
    sel.value = '9';
    sel.dispatchEvent(new Event('change'));
  });
  await page.waitForSelector('#error:not([hidden])');
  const text = await page.innerText('#error-text');
  assert.match(text, /Could not load the relationship map: The service did not accept the request/);
  assert.doesNotMatch(text, /Traceback|GraphQLError|stack/i);
  await shot(page, '05-api-error');
  // 2. The service cannot be reached.
  await page.route('**/graphql', (route) => route.abort('connectionrefused'));
  await page.fill('#search-input', 'alice');
  await page.waitForFunction(() => /Cannot reach the custgraph service/.test(document.getElementById('error-text')?.textContent || ''));
  await page.unroute('**/graphql');
  // 3. A masked internal error.
  await page.route('**/graphql', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ data: null, errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }) }));
  await page.fill('#search-input', 'bob');
  await page.waitForFunction(() => /internal problem/.test(document.getElementById('error-text')?.textContent || ''));
  // 4. The database is down (readiness 503).
  await page.route('**/graphql', (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'unavailable' }));
  await page.fill('#search-input', 'chen');
  await page.waitForFunction(() => /database is not available/.test(document.getElementById('error-text')?.textContent || ''));
});

await check('the API key is kept in the session and sent as a bearer token', async (page) => {
  await page.goto(APP);
  await page.click('#key-button');
  await page.fill('#key-input', 'test-key-123');
  await page.click('#key-save');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('custgraph.apiKey')), 'test-key-123');
  const req = page.waitForRequest((r) => r.url().endsWith('/graphql') && r.method() === 'POST');
  await page.fill('#search-input', 'alice');
  assert.equal((await req).headers().authorization, 'Bearer test-key-123');
  // A service that checks keys refuses this made-up one: the page must say so in plain words.
  await page.waitForFunction(
    () => document.querySelector('#search-results li[data-id]') || !document.getElementById('error').hidden,
  );
  if (await page.isVisible('#error')) {
    assert.match(await page.innerText('#error-text'), /The service refused the API key\. Enter a valid key/);
    await shot(page, '07-bad-api-key');
  }
  // Answered 401 by the page's own test double, whatever the service's auth mode.
  await page.route('**/graphql', (route) => route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ errors: [{ message: 'invalid API key', extensions: { code: 'UNAUTHENTICATED' } }] }) }));
  await page.fill('#search-input', 'bob');
  await page.waitForFunction(() => /refused the API key/.test(document.getElementById('error-text')?.textContent || ''));
  await page.unroute('**/graphql');
  await page.click('#key-button');
  await page.click('#key-clear');
  // The dialog's close event (which clears the key) fires after the click returns.
  await page.waitForFunction(() => sessionStorage.getItem('custgraph.apiKey') === null, null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('custgraph.apiKey')), null);
});

await check('company view lists employees, projects and referral flows', async (page) => {
  await page.goto(`${APP}#/company/co-acme`);
  await page.waitForSelector('#side[data-state="ready"]');
  await mapReady(page);
  assert.equal(await page.textContent('#company-name'), 'Acme Robotics');
  const sec = (s) => page.locator(`.company [data-section="${s}"]`).innerText();
  assert.match(await sec('employees'), /Alice Wang[\s\S]*Bob Li|Bob Li[\s\S]*Alice Wang/);
  assert.match(await sec('projects'), /Acme CRM rollout/);
  assert.match(await sec('referrals-out'), /Alice Wang → 陈静/);
  assert.match(await sec('referrals-in'), /No referrals into/);
  const nodes = await visibleNodes(page);
  for (const k of ['Company:co-acme', 'Customer:c-alice', 'Customer:c-bob', 'Project:p-acme-crm']) assert.ok(nodes.includes(k), `${k} on the company map`);
  await shot(page, '06-company');
});

// Segments are set up through the service's own API (the mock has none).
async function api(query, variables = {}) {
  const res = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(`API: ${JSON.stringify(body.errors)}`);
  return body.data;
}

if (!mock) {
  await check('segment view: size, history, portrait charts and overlap', async (page) => {
    for (const key of ['web_shanghai', 'web_women']) await api('mutation($k: String!) { deleteSegment(key: $k) }', { k: key });
    await api(`mutation { a: createSegment(input: {key: "web_shanghai", name: "上海客户 Shanghai", owner: "e2e", rule: {attribute: "city", eq: "Shanghai"}}) { key }
                          b: createSegment(input: {key: "web_women", name: "Women", rule: {attribute: "gender", eq: "female"}}) { key } }`);
    await api('mutation { snapshotSegments(key: "web_shanghai") { id } }');
    await api('mutation { snapshotSegments(key: "web_shanghai") { id } }');
    await page.goto(APP);
    await page.click('#nav-segments');
    await page.locator('.seglist li[data-segment="web_shanghai"] a').click();
    await page.waitForSelector('#mapview[data-state="ready"]');
    assert.equal(await page.textContent('#segment-name'), '上海客户 Shanghai');
    assert.equal(await page.textContent('#segment-size'), '2');
    assert.ok(await page.locator('.segview svg.spark').count() >= 1, 'size history sparkline');
    assert.ok(await page.locator('.segview .chart').count() >= 1, 'portrait distributions drawn');
    const sample = await page.locator('ul.sample a').allInnerTexts();
    assert.deepEqual([...sample].sort(), ['Alice Wang', 'Bob Li']);
    await page.waitForFunction(() => /2 customers/.test(document.querySelector('.seglist li[data-segment="web_shanghai"] .seg-size')?.textContent || ''));
    await page.selectOption('#overlap-with', 'web_women');
    const v = page.locator('.venn');
    await v.waitFor();
    assert.deepEqual(
      { onlyA: await v.getAttribute('data-only-a'), both: await v.getAttribute('data-both'), onlyB: await v.getAttribute('data-only-b') },
      { onlyA: '1', both: '1', onlyB: '2' },
    );
    await shot(page, '08-segment');
  });
}

await check('the layout fits a 1366x768 laptop screen', async (page) => {
  await openCustomer(page, 'c-alice');
  const m = await page.evaluate(() => {
    const cy = document.getElementById('cy').getBoundingClientRect();
    return { sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight, cw: cy.width, ch: cy.height };
  });
  assert.ok(m.sw <= 1366, `no horizontal scrolling (scrollWidth ${m.sw})`);
  assert.ok(m.sh <= 768, `no page scrolling (scrollHeight ${m.sh})`);
  assert.ok(m.cw >= 700 && m.ch >= 450, `map gets most of the screen (${m.cw}x${m.ch})`);
});

await browser.close();
mock?.close();
const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed; screenshots in ${out}`);
process.exit(failed.length ? 1 : 0);
