// Viability monitoring at the bench: a technician scans a seed lot's label with a USB scanner,
// records a germination test from the sample page and sees the next-due date and the chart
// change; a failing test then puts the lot on the regenerate work list.
//
// Run through ./run.sh after the other suites; it passes BIOBANK_URL and two accounts it made
// with `biobank user add`: a curator who sets up the lot over the API
// (BIOBANK_VIAB_CURATOR / BIOBANK_VIAB_CURATOR_PASSWORD) and the technician who uses the pages
// (BIOBANK_VIAB_TECH / BIOBANK_VIAB_TECH_PASSWORD).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.BIOBANK_URL.replace(/\/+$/, '');
const ARTIFACTS = process.env.BIOBANK_ARTIFACTS || fileURLToPath(new URL('./artifacts/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

let token;
let lot;
let browser;

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
    username: process.env.BIOBANK_VIAB_CURATOR, password: process.env.BIOBANK_VIAB_CURATOR_PASSWORD,
  })).token;
  const accession = await api('POST', '/api/v1/accessions', {
    material_type: 'seed', accession_number: `VIAB${Date.now() % 100000}`, genus: 'Oryza', species: 'sativa', origin_country: 'CHN',
  });
  lot = await api('POST', `/api/v1/accessions/${accession.id}/samples`, {
    form: 'seed_packet', quantity: 5000, unit: 'seeds', conservation_purpose: 'base', banked_on: '2024-03-01', moisture_pct: 6,
  });
  // Its initial germination test, a month after banking.
  await api('POST', '/api/v1/viability-tests', {
    sample_id: lot.id, test_type: 'germination', tested_on: '2024-04-01', seeds_per_replicate: 50,
    replicates: [48, 48, 47, 49].map((n) => ({ normal: n, abnormal: 0, dormant: 0, dead: 50 - n })),
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
});

after(async () => { await browser?.close(); });

async function technicianPage() {
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto('/login');
  await page.fill('#f-username', process.env.BIOBANK_VIAB_TECH);
  await page.fill('#f-password', process.env.BIOBANK_VIAB_TECH_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.locator('main button[type=submit]').click()]);
  return page;
}

/** What the viability panel shows: the next-due date, the chart and its plotted tests. */
async function panel(page) {
  const figures = await page.locator('[data-testid=viability]').innerText();
  const due = figures.match(/Next test due\s+(\d{4}-\d{2}-\d{2})/);
  assert.ok(due, `next-due date on the panel: ${figures}`);
  const chart = page.locator('#viability figure svg');
  return { due: due[1], figures, chart: await chart.evaluate((svg) => svg.outerHTML), points: await chart.locator('circle').count() };
}

/** Records a germination test from the sample page, as a technician does at the bench. */
async function recordGermination(page, testedOn, normal) {
  await Promise.all([page.waitForURL(/\/tests\/new/), page.click('[data-testid=record-test]')]);
  await Promise.all([page.waitForURL(/test_type=germination/), page.click('a[href$="test_type=germination"]')]);
  await page.fill('#f-tested_on', testedOn);
  await page.fill('#f-seeds_per_replicate', '50');
  await page.fill('#f-substrate', 'top of paper');
  await page.selectOption('#f-conclusive', 'true');
  for (let i = 0; i < 4; i++) {
    await page.fill(`input[name=r${i}_normal]`, String(normal[i]));
    await page.fill(`input[name=r${i}_dead]`, String(50 - normal[i]));
  }
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/s/') && !u.pathname.includes('/tests')), page.click('[data-testid=save-test]')]);
}

test('a technician scans a seed lot, records a germination test and sees the schedule change; a failing test puts the lot on the regenerate list', { timeout: 90_000 }, async () => {
  const page = await technicianPage();
  try {
    // The USB scanner types the label code and Enter.
    await page.goto('/scan');
    await page.locator('#code').pressSequentially(lot.label_code);
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/s/')), page.keyboard.press('Enter')]);
    assert.match(await page.locator('h1').innerText(), new RegExp(lot.label_code));
    const before = await panel(page);
    assert.equal(before.points, 1, 'the initial test is plotted');

    // A year later the lot has declined a little: its own fit replaces the species prediction.
    await recordGermination(page, '2025-04-01', [45, 44, 46, 45]);
    const middle = await panel(page);
    assert.notEqual(middle.due, before.due, 'the next-due date moved');
    assert.notEqual(middle.chart, before.chart, 'the chart was redrawn');
    assert.equal(middle.points, 2, 'both tests are plotted');
    assert.match(middle.figures, /90\.0 %/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'viability-after-test.png'), fullPage: true });

    // Then a test fails badly: the lot is below its regeneration threshold.
    await recordGermination(page, '2025-10-01', [20, 22, 18, 20]);
    assert.match(await page.locator('#viability').innerText(), /Below the regeneration threshold/);
    await page.goto('/worklists?list=regenerate');
    assert.ok((await page.locator('main').innerText()).includes(lot.label_code), 'the lot is on the regenerate list');
    await page.screenshot({ path: path.join(ARTIFACTS, 'viability-regenerate-list.png'), fullPage: true });
  } catch (e) {
    await page.screenshot({ path: path.join(ARTIFACTS, 'viability-failure.png'), fullPage: true }).catch(() => {});
    throw e;
  }
});
