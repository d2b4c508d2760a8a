// The researcher-to-receipt journey (issue 5): a researcher finds two accessions in the catalog
// and requests both; a curator approves one and rejects the other; the researcher accepts the
// MTA by click-wrap; a technician picks by scanning the label and ships; the researcher confirms
// receipt and leaves feedback. Each step asserts what that person sees.
//
// Run through ./run.sh, which passes BIOBANK_URL and three accounts it made with
// `biobank user add` (BIOBANK_JOURNEY_RESEARCHER / _CURATOR / _TECH, one BIOBANK_JOURNEY_PASSWORD).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.BIOBANK_URL.replace(/\/+$/, '');
const ARTIFACTS = process.env.BIOBANK_ARTIFACTS || fileURLToPath(new URL('./artifacts/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = process.env.BIOBANK_JOURNEY_PASSWORD;
const stamp = Date.now() % 100000;

let token;
let browser;
const accessions = [];
const samples = [];

async function api(method, url, body) {
  const res = await fetch(BASE + url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}

before(async () => {
  token = (await api('POST', '/api/v1/auth/token', {
    username: process.env.BIOBANK_JOURNEY_CURATOR, password: PASSWORD,
  })).token;
  for (const [n, species] of [[1, 'sativa'], [2, 'glaberrima']]) {
    const a = await api('POST', '/api/v1/accessions', {
      material_type: 'seed', accession_number: `JRNY${stamp}-${n}`, genus: 'Oryza', species, origin_country: 'CHN', available: true,
    });
    accessions.push(a);
    samples.push(await api('POST', `/api/v1/accessions/${a.id}/samples`, {
      form: 'seed_packet', quantity: 500, unit: 'seeds', conservation_purpose: 'active', banked_on: '2024-03-01', moisture_pct: 6,
    }));
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
});

after(async () => { await browser?.close(); });

async function signIn(username) {
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto('/login');
  await page.fill('#f-username', username);
  await page.fill('#f-password', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.locator('main button[type=submit]').click()]);
  return page;
}

async function status(page) {
  return (await page.locator('[data-testid=request-status]').innerText()).trim();
}

/** Presses an action's button on the request page and waits for the page to come back. */
async function act(page, action) {
  await Promise.all([
    page.waitForURL((u) => /^\/requests\/\d+$/.test(u.pathname)),
    page.locator(`[data-testid=action-${action}] button[type=submit]`).click(),
  ]);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `journey-${name}.png`), fullPage: true });
}

test('a researcher requests two accessions and receives the one the curator granted', async (t) => {
  const [first, second] = accessions;
  const researcher = await signIn(process.env.BIOBANK_JOURNEY_RESEARCHER);
  let requestPath;
  try {
    // The researcher finds both accessions in the catalog.
    await researcher.goto(`/catalog?q=${encodeURIComponent(second.accession_number)}`);
    await researcher.locator(`main a:has-text("${second.accession_number}")`).first().click();
    const secondHref = await researcher.locator('[data-testid=request-this]').getAttribute('href');
    assert.equal(secondHref, `/requests/new?accession=${second.id}`);
    await researcher.goto(`/catalog?q=${encodeURIComponent(first.accession_number)}`);
    await researcher.locator(`main a:has-text("${first.accession_number}")`).first().click();
    await researcher.locator('[data-testid=request-this]').click();
    // The form starts with the first accession; the second goes on the next row of the cart.
    assert.equal(await researcher.inputValue('#accession_1'), String(first.id));
    await researcher.fill('#quantity_1', '50');
    await researcher.selectOption('#unit_1', 'seeds');
    await researcher.fill('#accession_2', String(second.id));
    await researcher.fill('#quantity_2', '30');
    await researcher.selectOption('#unit_2', 'seeds');
    await researcher.selectOption('#intended_use', 'research');
    await researcher.fill('#project_description', 'Submergence tolerance in rice landraces');
    await researcher.fill('#shipping_address', 'Rice Lab, 9 Paddy Lane');
    await Promise.all([
      researcher.waitForURL((u) => /^\/requests\/\d+$/.test(u.pathname)),
      researcher.locator('main form button[type=submit]').last().click(),
    ]);
    requestPath = new URL(researcher.url()).pathname;
    assert.equal(await status(researcher), 'draft');
    await act(researcher, 'submit');
    assert.equal(await status(researcher), 'submitted');
    assert.equal(await researcher.locator('[data-testid=action-approve]').count(), 0, 'the researcher cannot approve');

    // The curator reviews, grants the first item and rejects the second with a reason.
    const curator = await signIn(process.env.BIOBANK_JOURNEY_CURATOR);
    try {
      await curator.goto(requestPath);
      await act(curator, 'review');
      assert.equal(await status(curator), 'under_review');
      const keep = curator.locator(`[data-testid=decide-item-${first.id}]`);
      const drop = curator.locator(`[data-testid=decide-item-${second.id}]`);
      assert.equal(await keep.locator('input[type=number]').inputValue(), '50');
      await drop.locator('select').selectOption('reject');
      await drop.locator('input:not([type=number])').fill('Seed stock reserved for regeneration');
      await act(curator, 'approve');
      assert.equal(await status(curator), 'partially_approved');
      await shot(curator, 'approved');
    } finally {
      await curator.context().close();
    }

    // The researcher sees the decision and accepts the agreement (click-wrap).
    await researcher.goto(requestPath);
    assert.equal(await status(researcher), 'partially_approved');
    const items = await researcher.locator('main table').first().innerText();
    assert.match(items, /declined/);
    assert.match(items, /Seed stock reserved for regeneration/);
    assert.ok(await researcher.locator('[data-testid=mta-card]').isVisible(), 'the MTA is on the page');
    await researcher.locator('[data-testid=action-accept-mta] input[name=accept]').check();
    await act(researcher, 'accept-mta');
    assert.equal(await status(researcher), 'mta_accepted');
    assert.ok(await researcher.locator('[data-testid=mta-accepted]').isVisible());

    // The technician starts picking, scans the granted sample's label and ships.
    const tech = await signIn(process.env.BIOBANK_JOURNEY_TECH);
    try {
      await tech.goto(requestPath);
      await act(tech, 'pick');
      assert.equal(await status(tech), 'picking');
      await tech.locator('[data-testid=open-pick-list]').click();
      await tech.waitForURL((u) => u.pathname.endsWith('/pick-list'));
      const rows = tech.locator('table.pick tbody tr');
      assert.equal(await rows.count(), 1, 'only the granted item is on the pick list');
      const code = await rows.first().getAttribute('data-code');
      assert.match(await tech.locator('[data-testid=remaining]').innerText(), /1/);
      await tech.fill('#code', code);
      await Promise.all([tech.waitForLoadState('load'), tech.press('#code', 'Enter')]);
      await tech.locator('[data-testid=picked]').waitFor();
      assert.match(await tech.locator('[data-testid=picked]').innerText(), new RegExp(code));
      await tech.locator('[data-testid=remaining] a').click();
      await tech.waitForURL((u) => /^\/requests\/\d+$/.test(u.pathname));
      await tech.fill('#carrier', 'SF Express');
      await tech.fill('#tracking_number', `SF${stamp}0001`);
      await act(tech, 'ship');
      assert.equal(await status(tech), 'shipped');
    } finally {
      await tech.context().close();
    }

    // The researcher confirms receipt and rates the service.
    await researcher.goto(requestPath);
    assert.equal(await status(researcher), 'shipped');
    assert.equal(await researcher.locator('[data-testid=tracking-number]').innerText(), `SF${stamp}0001`);
    await act(researcher, 'receive');
    assert.equal(await status(researcher), 'received');
    await researcher.fill('#rating', '5');
    await researcher.fill('#comment', 'Seeds arrived dry and well labelled.');
    await act(researcher, 'feedback');
    assert.equal(await status(researcher), 'closed');
    await shot(researcher, 'closed');

    // The stock moved only for the granted item.
    const sent = await api('GET', `/api/v1/samples/${samples[0].id}`);
    const kept = await api('GET', `/api/v1/samples/${samples[1].id}`);
    assert.equal(sent.quantity, 450);
    assert.equal(kept.quantity, 500);
  } catch (err) {
    await researcher.screenshot({ path: path.join(ARTIFACTS, 'journey-failure.png'), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await researcher.context().close();
  }
});
