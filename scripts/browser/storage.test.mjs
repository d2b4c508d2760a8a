// A technician's shift at the freezer, in a real browser on a phone-sized screen: a scanned code
// opens the sample, it is stored from the box map, the box moves to another rack, the sample is
// checked out and back in, and a stock-take finds a sample that the records put elsewhere and
// corrects it with one button.
//
// Run through ./run.sh after the registry story; it passes BIOBANK_URL and the credentials of a
// curator it created with `biobank user add` (BIOBANK_SCAN_USER / BIOBANK_SCAN_PASSWORD).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.BIOBANK_URL.replace(/\/+$/, '');
const USER = process.env.BIOBANK_SCAN_USER;
const PASSWORD = process.env.BIOBANK_SCAN_PASSWORD;
const ARTIFACTS = process.env.BIOBANK_ARTIFACTS || fileURLToPath(new URL('./artifacts/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

let token;
let browser;
let page;
const ids = {};

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

async function newSample(number) {
  const accession = await api('POST', '/api/v1/accessions', {
    material_type: 'seed', accession_number: number, genus: 'Triticum', species: 'aestivum', origin_country: 'CHN',
  });
  return api('POST', `/api/v1/accessions/${accession.id}/samples`, {
    form: 'seed_packet', quantity: 200, unit: 'seeds', conservation_purpose: 'base',
  });
}

/** Clicks and waits for the page it leads to, as a gloved thumb would. */
async function press(locator) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), locator.click()]);
}

before(async () => {
  token = (await api('POST', '/api/v1/auth/token', { username: USER, password: PASSWORD })).token;
  const stamp = Date.now() % 100000;
  const site = await api('POST', '/api/v1/storage', { kind: 'site', name: `Site ${stamp}` });
  const room = await api('POST', '/api/v1/storage', { kind: 'room', name: 'Freezer room', parent_id: site.id });
  const freezer = await api('POST', '/api/v1/storage/from-template', {
    parent_id: room.id, name: `Freezer ${stamp}`, equipment_type: 'freezer_minus80', racks: 2, boxes_per_rack: 1, box_type: 'cryobox_9x9',
  });
  const tree = await api('GET', '/api/v1/storage');
  const racks = tree.filter((u) => u.parent_id === freezer.id);
  ids.rack1 = racks[0].id;
  ids.rack2 = racks[1].id;
  ids.box1 = tree.find((u) => u.parent_id === ids.rack1).id;
  ids.box2 = tree.find((u) => u.parent_id === ids.rack2).id;
  ids.fresh = await newSample(`STO${stamp}A`);
  // Recorded in box 2, but really sitting in box 1: the stock-take must find it.
  ids.stray = await newSample(`STO${stamp}B`);
  await api('POST', `/api/v1/samples/${ids.stray.id}/store`, { storage_unit_id: ids.box2, position: '1' });

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 390, height: 844 } });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto('/login');
  await page.fill('#f-username', USER);
  await page.fill('#f-password', PASSWORD);
  await press(page.locator('main button[type=submit]'));
});

after(async () => {
  if (page) await page.screenshot({ path: path.join(ARTIFACTS, 'storage-last.png'), fullPage: true });
  await browser?.close();
});

test('the technician stores, moves, checks out and in, and takes stock of a box', { timeout: 120_000 }, async (t) => {
  const code = ids.fresh.label_code;

  await t.test('a code typed as a scanner types it opens the sample', async () => {
    await page.goto('/scan');
    await page.locator('#code').pressSequentially(code);
    await Promise.all([page.waitForURL((u) => u.pathname === `/s/${code}`), page.keyboard.press('Enter')]);
    assert.match(await page.locator('h1').innerText(), new RegExp(code));
  });

  await t.test('an empty place on the box map takes the sample', async () => {
    await page.goto(`/storage/${ids.box1}`);
    await press(page.locator(`a.cell-empty[href="/storage/${ids.box1}/store?position=3"]`));
    assert.equal(await page.inputValue('#position'), '3');
    await page.locator('#code').pressSequentially(code);
    await Promise.all([page.waitForURL((u) => u.pathname === `/storage/${ids.box1}`), page.keyboard.press('Enter')]);
    const cell = page.locator(`a.cell-occupied[href="/s/${code}"]`);
    assert.equal(await cell.count(), 1, 'position 3 now shows the sample');
    assert.match(await cell.innerText(), /^3/);
  });

  await t.test('the box moves to the other rack with the sample in it', async () => {
    await page.selectOption('#parent_id', String(ids.rack2));
    await press(page.locator('form[action$="/move"] button[type=submit]'));
    assert.match(await page.locator('nav.crumbs').innerText(), /Rack 2/);
    await press(page.locator(`a.cell-occupied[href="/s/${code}"]`));
    assert.match(await page.locator('[data-testid=custody] dd').first().innerText(), /Rack 2 .*· 3|Rack 2/);
  });

  await t.test('the sample is checked out, its place held, and checked back in', async () => {
    await page.locator('summary', { hasText: 'Check out' }).click();
    await page.fill('form[action$="/check-out"] input[name=reason]', 'imaging on the confocal');
    await press(page.locator('form[action$="/check-out"] button[type=submit]'));
    assert.equal(await page.locator('form[action$="/check-in"]').count(), 1, 'check-in is offered');
    await page.goto(`/storage/${ids.box1}`);
    assert.equal(await page.locator(`a.cell-checked_out[href="/s/${code}"]`).count(), 1, 'the place is held');
    await press(page.locator(`a.cell-checked_out[href="/s/${code}"]`));
    await press(page.locator('form[action$="/check-in"] button'));
    await page.goto(`/storage/${ids.box1}`);
    assert.equal(await page.locator(`a.cell-occupied[href="/s/${code}"]`).count(), 1, 'back in its place');
  });

  await t.test('a stock-take finds the sample the records put elsewhere and one button corrects it', async () => {
    await page.fill('#codes', `3 ${code}\n5 ${ids.stray.label_code}\n`);
    await press(page.locator('form[action$="/stock-take"] button[type=submit]'));
    const extra = page.locator('[data-testid=misplaced] li');
    assert.equal(await extra.count(), 1);
    assert.match(await extra.innerText(), new RegExp(ids.stray.label_code));
    assert.match(await extra.innerText(), /Box 2-1|Rack 2/);
    assert.equal(await page.locator('[data-testid=missing] li').count(), 0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'storage-stock-take.png'), fullPage: true });
    await press(extra.locator('button'));
    assert.equal(await page.locator('[data-testid=stock-take-clean]').count(), 1, 'the records and the box now agree');
    assert.equal(await page.locator(`a.cell-occupied[href="/s/${ids.stray.label_code}"]`).count(), 1, 'the stray shows at 5');
  });
});
