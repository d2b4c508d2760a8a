// Scanning at the freezer: a technician's phone camera reads a printed label, a USB scanner
// types a label URL, and a mistyped code is caught by its check character.
//
// Run through ./run.sh after the registry story; it passes BIOBANK_URL and the credentials
// of a curator it created with `biobank user add` (BIOBANK_SCAN_USER / BIOBANK_SCAN_PASSWORD).
// The camera is Chromium's fake capture device fed with a video made from the label PDF the
// server rendered, so the whole path — label PDF, QR, camera, bundled decoder — is exercised.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.BIOBANK_URL.replace(/\/+$/, '');
const USER = process.env.BIOBANK_SCAN_USER;
const PASSWORD = process.env.BIOBANK_SCAN_PASSWORD;
const ARTIFACTS = process.env.BIOBANK_ARTIFACTS || fileURLToPath(new URL('./artifacts/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WORK = path.join(ARTIFACTS, 'scan');
mkdirSync(WORK, { recursive: true });

let token;
let sample;
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

/** A Y4M video (the format Chromium's fake camera reads) of a greyscale image, centred. */
function pgmToY4m(pgmFile, y4mFile) {
  const pgm = readFileSync(pgmFile);
  const header = pgm.subarray(0, 64).toString('latin1').split(/\s+/);
  const [w, h] = [Number(header[1]), Number(header[2])];
  const offset = pgm.indexOf(Buffer.from(`${header[3]}\n`), pgm.indexOf(`${w} ${h}`)) + header[3].length + 1;
  const pixels = pgm.subarray(offset);
  const W = 1280;
  const H = 720;
  const y = Buffer.alloc(W * H, 255);
  const left = Math.floor((W - w) / 2);
  const top = Math.floor((H - h) / 2);
  for (let row = 0; row < h; row++) pixels.copy(y, (top + row) * W + left, row * w, row * w + w);
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  writeFileSync(y4mFile, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]));
}

before(async () => {
  token = (await api('POST', '/api/v1/auth/token', { username: USER, password: PASSWORD })).token;
  const accession = await api('POST', '/api/v1/accessions', {
    material_type: 'seed', accession_number: `SCAN${Date.now() % 100000}`, genus: 'Oryza', species: 'sativa', origin_country: 'CHN',
  });
  sample = await api('POST', `/api/v1/accessions/${accession.id}/samples`, {
    form: 'seed_packet', quantity: 300, unit: 'seeds', conservation_purpose: 'base',
  });
  const pdf = await fetch(`${BASE}/samples/${sample.id}/label.pdf?layout=100x50`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(pdf.status, 200);
  writeFileSync(path.join(WORK, 'label.pdf'), Buffer.from(await pdf.arrayBuffer()));
  execFileSync('pdftoppm', ['-r', '150', '-gray', '-singlefile', path.join(WORK, 'label.pdf'), path.join(WORK, 'label')]);
  pgmToY4m(path.join(WORK, 'label.pgm'), path.join(WORK, 'label.y4m'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${path.join(WORK, 'label.y4m')}`],
  });
});

after(async () => { await browser?.close(); });

async function signedInPage() {
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 390, height: 844 }, permissions: ['camera'] });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto('/login');
  await page.fill('#f-username', USER);
  await page.fill('#f-password', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.locator('main button[type=submit]').click()]);
  return page;
}

test('the phone camera reads the printed label and opens the sample', { timeout: 60_000 }, async () => {
  const page = await signedInPage();
  await page.goto('/scan');
  await page.click('#camera-start');
  await page.waitForURL((u) => u.pathname.startsWith('/s/'), { timeout: 30_000 });
  assert.match(await page.locator('h1').innerText(), new RegExp(sample.label_code));
  await page.screenshot({ path: path.join(ARTIFACTS, 'scan-camera-result.png'), fullPage: true });
});

test('a USB scanner typing the label URL and Enter opens the sample', { timeout: 60_000 }, async () => {
  const page = await signedInPage();
  await page.goto('/scan');
  await page.locator('#code').pressSequentially(`${BASE}/s/${sample.label_code}`);
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/s/')), page.keyboard.press('Enter')]);
  assert.match(await page.locator('h1').innerText(), new RegExp(sample.label_code));
});

test('a mistyped code is caught by its check character', { timeout: 60_000 }, async () => {
  const page = await signedInPage();
  await page.goto('/scan');
  const code = sample.label_code;
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const wrong = alphabet[(alphabet.indexOf(code[0]) + 1) % alphabet.length] + code.slice(1);
  await page.fill('#code', wrong);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#code-error');
  assert.match(await page.locator('#code-error').innerText(), /check/i);
});
