// Browser tests for the biobank web app: the registry story, driven through the real pages
// the way a person would (click, type, choose), once in English and once in Chinese.
//
// Run through ./run.sh, which starts a fresh server and passes:
//   BIOBANK_URL        the server's base URL, e.g. http://127.0.0.1:18345
//   BIOBANK_SETUP_URL  the one-time setup link the server printed on stdout
//   BIOBANK_ARTIFACTS  where screenshots go (default: ./artifacts)
//   CHROMIUM_PATH      the browser (default: /usr/bin/chromium)
//
// The story: the setup link creates the administrator; the administrator adds a curator; the
// curator registers a seed accession and a cell line, finds them by search and filter, reads
// an accession's audit history, and gets a helpful re-rendered form after a bad value. The
// Chinese pass uses a zh-CN browser and the language switcher; both passes share one server,
// so every username and accession number carries the pass's tag.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = required('BIOBANK_URL').replace(/\/+$/, '');
const SETUP_URL = required('BIOBANK_SETUP_URL');
const ARTIFACTS = process.env.BIOBANK_ARTIFACTS || fileURLToPath(new URL('./artifacts/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const STEP_TIMEOUT = 60_000; // per test
const ACTION_TIMEOUT = 15_000; // per click, fill, wait
const PHONE = { width: 390, height: 844 };
const MIN_TAP = 44; // px, the smallest comfortable touch target

// A short tag that keeps this run's records apart from any other run's on the same server.
const RUN = Date.now().toString(36).slice(-4).toUpperCase();

const ADMIN = {
  username: 'admin',
  displayName: 'Ada Administrator',
  email: 'admin@example.org',
  password: 'admin-secret-2024',
};

// Interface text from the message catalog (src/i18n/catalog*.rs), per language.
const UI = {
  en: {
    htmlLang: 'en',
    switcher: '中文', // the switcher names the *other* language
    switchCode: 'zh',
    setupTitle: 'Set up the repository',
    createAdmin: 'Create administrator',
    setupDone: 'The administrator account is ready. Sign in.',
    signInTitle: 'Sign in',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signedOut: 'You have signed out.',
    welcome: 'Welcome',
    username: 'Username',
    password: 'Password',
    navUsers: 'Users',
    navAccessions: 'Accessions',
    navNewAccession: 'Register accession',
    addUser: 'Add user',
    userCreated: 'User created.',
    roleCurator: 'Curator',
    newAccessionTitle: 'Register accession',
    registerButton: 'Register accession',
    registered: 'Accession registered; its persistent identifier has been issued.',
    pid: 'Persistent identifier',
    accessionsTitle: 'Accessions',
    searchButton: 'Search',
    found: 'accessions found',
    none: 'No accession matches.',
    history: 'History',
    created: 'Created',
    seed: 'Seed',
    cellLine: 'Cell line',
    notFound: 'Not found',
  },
  zh: {
    htmlLang: 'zh-CN',
    switcher: 'English',
    switchCode: 'en',
    setupTitle: '初始化资源库',
    createAdmin: '创建管理员',
    setupDone: '管理员账户已创建，请登录。',
    signInTitle: '登录',
    signIn: '登录',
    signOut: '退出登录',
    signedOut: '您已退出登录。',
    welcome: '欢迎',
    username: '用户名',
    password: '密码',
    navUsers: '用户',
    navAccessions: '种质/样本登记',
    navNewAccession: '登记新资源',
    addUser: '添加用户',
    userCreated: '用户已创建。',
    roleCurator: '资源管理员',
    newAccessionTitle: '登记新资源',
    registerButton: '登记',
    registered: '已登记，并已分配永久标识符。',
    pid: '持久标识符',
    accessionsTitle: '资源登记列表',
    searchButton: '搜索',
    found: '条记录',
    none: '没有符合条件的记录。',
    history: '变更历史',
    created: '创建',
    seed: '种子',
    cellLine: '细胞系',
    notFound: '未找到',
  },
};

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; run the tests through scripts/browser/run.sh`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Helpers

let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}, { timeout: STEP_TIMEOUT });

after(async () => {
  await browser?.close();
}, { timeout: STEP_TIMEOUT });

async function newPage(options = {}) {
  const context = await browser.newContext({ baseURL: BASE, ...options });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // A page answered with an error status (an expected 404 or 422) is logged by the browser
    // as "Failed to load resource"; failed sub-resources are caught below instead.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      problems.push(`console error on ${page.url()}: ${msg.text()}`);
    }
  });
  page.on('response', (r) => {
    if (!r.request().isNavigationRequest() && r.status() >= 400) {
      problems.push(`${r.status()} for ${r.url()} (on ${page.url()})`);
    }
  });
  page.on('requestfailed', (r) => {
    // ERR_ABORTED is the browser dropping a request because the page moved on: not a fault.
    if (!r.isNavigationRequest() && r.failure()?.errorText !== 'net::ERR_ABORTED') {
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
    }
  });
  return { context, page, problems };
}

/** Opens a path and checks the server answered with a page, not an error. */
async function open(page, pathOrUrl, { status = 200 } = {}) {
  const response = await page.goto(pathOrUrl, { waitUntil: 'load' });
  assert.ok(response, `no response for ${pathOrUrl}`);
  assert.equal(response.status(), status, `GET ${pathOrUrl} answered ${response.status()}`);
  return response;
}

/**
 * Clicks something that loads a new document (a link, a form's submit button) and waits for
 * that document's load event; resolves to the main document's final response.
 */
async function clickAndLoad(page, locator) {
  const main = page.mainFrame();
  const responses = [];
  const onResponse = (r) => {
    if (r.request().isNavigationRequest() && r.frame() === main) responses.push(r);
  };
  page.on('response', onResponse);
  try {
    await Promise.all([page.waitForEvent('load', { timeout: ACTION_TIMEOUT }), locator.click()]);
  } finally {
    page.off('response', onResponse);
  }
  return responses.at(-1);
}

function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

async function text(locator) {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function assertHeading(page, expected) {
  const h1 = page.locator('main h1').first();
  await h1.waitFor();
  const got = await text(h1);
  assert.ok(got.includes(expected), `expected the page heading to contain "${expected}", got "${got}" on ${page.url()}`);
}

async function assertFlash(page, expected) {
  const flash = page.locator('main .flash').first();
  await flash.waitFor();
  assert.equal(await text(flash), expected, `flash message on ${page.url()}`);
}

async function assertLang(page, lang) {
  assert.equal(await page.locator('html').getAttribute('lang'), UI[lang].htmlLang, `<html lang> on ${page.url()}`);
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

async function screenshot(page, name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const mainNav = (page) => page.getByRole('navigation', { name: 'main' });
const signOutButton = (page) => page.locator('header').getByRole('button', { name: UI[langOf(page)].signOut });
const langSwitcher = (page) => page.locator('header .top-right a.lang');

// Each page remembers the language it is expected to speak.
const pageLang = new WeakMap();
function langOf(page) {
  return pageLang.get(page) ?? 'en';
}

async function signIn(page, lang, user) {
  await open(page, '/login');
  await assertHeading(page, UI[lang].signInTitle);
  const form = page.locator('main form[action="/login"]');
  await form.getByLabel(UI[lang].username).fill(user.username);
  await form.getByLabel(UI[lang].password).fill(user.password);
  await clickAndLoad(page, form.getByRole('button', { name: UI[lang].signIn }));
  assert.equal(pathOf(page), '/', `signing in ${user.username} should land on the start page`);
  await assertHeading(page, `${UI[lang].welcome}, ${user.displayName}`);
  await signOutButton(page).waitFor();
}

async function signOut(page, lang) {
  await clickAndLoad(page, signOutButton(page));
  assert.equal(pathOf(page), '/login');
  await assertFlash(page, UI[lang].signedOut);
  assert.equal(await signOutButton(page).count(), 0, 'the sign-out button is gone after signing out');
}

/** Fills the accession form's fields by their ids (`f-<field>`). */
async function fillAccession(page, materialType, fields) {
  await page.locator('#f-material_type').selectOption(materialType);
  for (const [name, value] of Object.entries(fields)) {
    const input = page.locator(`#f-${name}`);
    assert.ok(await input.isVisible(), `field ${name} is visible for material type ${materialType}`);
    await input.fill(value);
  }
}

/** Submits the list page's search form with the given query and material type. */
async function search(page, lang, { q = '', materialType = '' } = {}) {
  const form = page.getByRole('search');
  await form.locator('#q').fill(q);
  await form.locator('#material_type').selectOption(materialType);
  const response = await clickAndLoad(page, form.getByRole('button', { name: UI[lang].searchButton }));
  assert.equal(response?.status(), 200, `search q=${q} material_type=${materialType}`);
  const url = new URL(page.url());
  assert.equal(url.pathname, '/accessions');
  assert.equal(url.searchParams.get('q') ?? '', q);
  assert.equal(await page.locator('#q').inputValue(), q, 'the search box keeps the query');
  const rows = page.locator('main table tbody tr');
  const found = [];
  for (let i = 0; i < (await rows.count()); i++) {
    found.push(await text(rows.nth(i).locator('td').first()));
  }
  const count = await text(page.getByTestId('result-count'));
  assert.ok(count.endsWith(UI[lang].found), `result count "${count}" uses the catalog wording`);
  assert.equal(Number.parseInt(count, 10), found.length, `result count "${count}" matches the rows shown`);
  return found; // "INSTCODE NUMBER" per row
}

function listed(found, accessionNumber) {
  return found.some((cell) => cell.split(' ').includes(accessionNumber));
}

async function assertMinHeight(locator, what) {
  await locator.waitFor();
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  assert.ok(box, `${what} has a box`);
  assert.ok(box.height >= MIN_TAP, `${what} is ${box.height.toFixed(1)} px tall; at least ${MIN_TAP} px wanted`);
  return box;
}

/**
 * Declares one step of a story as its own test. After a step fails, the later steps of the
 * same story are skipped (they depend on it) and the page is saved for debugging.
 */
function step(story, name, fn) {
  test(name, { timeout: STEP_TIMEOUT }, async (t) => {
    if (story.broken) {
      t.skip(`skipped: the earlier step "${story.broken}" failed`);
      return;
    }
    try {
      await fn(t);
    } catch (err) {
      story.broken = name;
      if (story.page) {
        await screenshot(story.page, `FAILED-${story.lang}-${slug(name)}`).catch(() => {});
        t.diagnostic(`page at failure: ${story.page.url()}`);
      }
      throw err;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The story, once per language.

const passes = [
  { lang: 'en', locale: 'en-US', tag: `EN${RUN}` },
  { lang: 'zh', locale: 'zh-CN', tag: `ZH${RUN}` },
];

describe('first run', () => {
  test('the setup page follows the browser language before anyone has signed in', { timeout: STEP_TIMEOUT }, async () => {
    const { context, page } = await newPage({ locale: 'zh-CN' });
    try {
      await open(page, SETUP_URL);
      await assertLang(page, 'zh');
      await assertHeading(page, UI.zh.setupTitle);
      await page.getByRole('button', { name: UI.zh.createAdmin }).waitFor();
    } finally {
      await context.close();
    }
  });
});

for (const pass of passes) {
  const { lang, locale, tag } = pass;
  const ui = UI[lang];
  const curator = {
    username: `curator_${tag.toLowerCase()}`,
    displayName: lang === 'zh' ? `李管理${tag}` : `Carol Curator ${tag}`,
    email: `curator.${tag.toLowerCase()}@example.org`,
    password: `curator-pw-${tag}-long`,
  };
  const seed = {
    accession_number: `${tag}-RICE-001`,
    genus: 'Oryza',
    species: 'sativa',
    origin_country: 'CHN',
    biological_status: '300',
    acquisition_date: '198107--',
  };
  const cellLine = {
    accession_number: `${tag}-CELL-001`,
    accession_names: 'HeLa',
    organism: 'Homo sapiens',
    cellosaurus_accession: 'CVCL_0030',
    risk_group: '2',
  };
  const story = { lang, page: null, broken: null };
  let context;
  let page;
  let problems;
  const ids = {};

  describe(`registry story (${lang}, browser locale ${locale})`, () => {
    before(async () => {
      ({ context, page, problems } = await newPage({ locale, viewport: { width: 1280, height: 900 } }));
      pageLang.set(page, lang);
      story.page = page;
    }, { timeout: STEP_TIMEOUT });

    after(async () => {
      await context?.close();
    }, { timeout: STEP_TIMEOUT });

    if (lang === 'en') {
      step(story, 'the one-time setup link creates the administrator', async () => {
        await open(page, SETUP_URL);
        await assertLang(page, 'en');
        await assertHeading(page, ui.setupTitle);
        const form = page.locator('main form');
        await form.locator('#f-username').fill(ADMIN.username);
        await form.locator('#f-display_name').fill(ADMIN.displayName);
        await form.locator('#f-email').fill(ADMIN.email);
        await form.locator('#f-password').fill(ADMIN.password);
        await clickAndLoad(page, form.getByRole('button', { name: ui.createAdmin }));
        assert.equal(pathOf(page), '/login', 'setup hands over to the sign-in page');
        await assertFlash(page, ui.setupDone);
      });

      step(story, 'the setup link works only once', async () => {
        await open(page, SETUP_URL, { status: 404 });
        await assertHeading(page, ui.notFound);
      });
    } else {
      step(story, 'a zh-CN browser gets Chinese pages, and the language switcher flips them', async () => {
        await open(page, '/login');
        await assertLang(page, 'zh');
        await assertHeading(page, UI.zh.signInTitle);

        // zh -> en: the switcher names the other language and comes back to this page.
        let link = langSwitcher(page);
        assert.equal(await text(link), UI.zh.switcher);
        assert.equal(await link.getAttribute('href'), '/lang/en?next=/login');
        await clickAndLoad(page, link);
        assert.equal(pathOf(page), '/login', 'the switcher returns to the same page');
        await assertLang(page, 'en');
        await assertHeading(page, UI.en.signInTitle);
        // The choice sticks: another page opened directly is English despite the zh-CN browser.
        await open(page, '/register');
        await assertLang(page, 'en');
        await assertHeading(page, 'Register as a researcher');
        await open(page, '/login');

        // en -> zh, through /lang/zh?next=...
        link = langSwitcher(page);
        assert.equal(await text(link), UI.en.switcher);
        assert.equal(await link.getAttribute('href'), '/lang/zh?next=/login');
        await clickAndLoad(page, link);
        assert.equal(pathOf(page), '/login');
        await assertLang(page, 'zh');
        await assertHeading(page, UI.zh.signInTitle);
        await open(page, '/register');
        await assertLang(page, 'zh');
        await assertHeading(page, '研究人员注册');
      });

      step(story, 'the used setup link answers "not found" in Chinese', async () => {
        await open(page, SETUP_URL, { status: 404 });
        await assertLang(page, 'zh');
        await assertHeading(page, ui.notFound);
      });
    }

    step(story, 'the administrator signs in and adds a curator on /users', async () => {
      await signIn(page, lang, ADMIN);
      await clickAndLoad(page, mainNav(page).getByRole('link', { name: ui.navUsers, exact: true }));
      assert.equal(pathOf(page), '/users');
      await assertHeading(page, ui.navUsers);

      const add = page.locator('#add-user');
      assert.equal(await text(add.getByRole('heading', { level: 2 })), ui.addUser);
      await add.locator('#f-username').fill(curator.username);
      await add.locator('#f-display_name').fill(curator.displayName);
      await add.locator('#f-email').fill(curator.email);
      await add.locator('#f-role').selectOption('curator');
      await add.locator('#f-password').fill(curator.password);
      await clickAndLoad(page, add.getByRole('button', { name: ui.addUser }));

      assert.equal(pathOf(page), '/users');
      await assertFlash(page, ui.userCreated);
      const row = page.locator(`main tr[data-username="${curator.username}"]`);
      await row.waitFor();
      const cells = await row.locator('td').allTextContents();
      assert.ok(cells[1].includes(curator.displayName), `display name in row: ${cells[1]}`);
      assert.equal(cells[2].trim(), ui.roleCurator, 'role column');
      if (lang === 'zh') await screenshot(page, 'zh-users');
      await signOut(page, lang);
    });

    step(story, 'the curator signs in; the page chrome speaks the catalog language', async () => {
      await signIn(page, lang, curator);
      await assertLang(page, lang);
      const button = signOutButton(page);
      const label = await text(button);
      assert.equal(label, `${ui.signOut} (${curator.displayName})`, 'sign-out button label');
      const nav = await mainNav(page).getByRole('link').allTextContents();
      for (const item of [ui.navAccessions, ui.navNewAccession, ui.navUsers]) {
        assert.ok(nav.includes(item), `nav has "${item}": ${JSON.stringify(nav)}`);
      }
      assert.equal(await text(langSwitcher(page)), ui.switcher);
    });

    step(story, 'the curator registers a seed accession and lands on its page with the identifier', async () => {
      await clickAndLoad(page, mainNav(page).getByRole('link', { name: ui.navNewAccession, exact: true }));
      assert.equal(pathOf(page), '/accessions/new');
      await assertHeading(page, ui.newAccessionTitle);
      await fillAccession(page, 'seed', seed);
      const response = await clickAndLoad(page, page.getByRole('button', { name: ui.registerButton, exact: true }));
      assert.equal(response?.status(), 200);

      const m = pathOf(page).match(/^\/accessions\/(\d+)$/);
      assert.ok(m, `landed on an accession page, not ${page.url()}`);
      ids.seed = m[1];
      await assertFlash(page, ui.registered);
      await assertHeading(page, seed.accession_number);
      const pid = page.getByTestId('pid');
      const pidText = await text(pid);
      assert.ok(pidText.length > 0, 'the persistent identifier is shown');
      assert.ok((await text(pid.locator('xpath=..'))).startsWith(`${ui.pid}:`), 'the identifier is labelled');
      assert.match((await pid.getAttribute('href')) ?? '', /^\/id\//, 'the identifier links to its resolver page');
      ids.seedPid = pidText;
      const main = await text(page.locator('main'));
      for (const v of ['Oryza sativa', 'CHN']) assert.ok(main.includes(v), `the page shows "${v}"`);
      if (lang === 'en') await screenshot(page, 'en-accession-seed');
    });

    step(story, 'the persistent identifier resolves to the accession', async () => {
      await clickAndLoad(page, page.getByTestId('pid'));
      assert.match(pathOf(page), /^\/id\//);
      const body = await text(page.locator('main'));
      assert.ok(body.includes(seed.accession_number), 'the identifier page names the accession');
      await page.goBack({ waitUntil: 'load' });
      assert.equal(pathOf(page), `/accessions/${ids.seed}`);
    });

    step(story, 'the curator registers a cell line and lands on its page with the identifier', async () => {
      await clickAndLoad(page, mainNav(page).getByRole('link', { name: ui.navNewAccession, exact: true }));
      assert.equal(pathOf(page), '/accessions/new');
      await page.locator('#f-material_type').selectOption('cell_line');
      // The form shows the cell-line fieldset only after the type is chosen.
      await page.locator('#f-cellosaurus_accession').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#f-biological_status').isVisible(), false, 'plant fields are hidden for a cell line');
      await fillAccession(page, 'cell_line', cellLine);
      if (lang === 'zh') await screenshot(page, 'zh-form-cell-line');
      const response = await clickAndLoad(page, page.getByRole('button', { name: ui.registerButton, exact: true }));
      assert.equal(response?.status(), 200);

      const m = pathOf(page).match(/^\/accessions\/(\d+)$/);
      assert.ok(m, `landed on an accession page, not ${page.url()}`);
      ids.cellLine = m[1];
      await assertFlash(page, ui.registered);
      await assertHeading(page, cellLine.accession_number);
      const pidText = await text(page.getByTestId('pid'));
      assert.ok(pidText.length > 0, 'the persistent identifier is shown');
      assert.notEqual(pidText, ids.seedPid, 'each accession has its own identifier');
      const main = await text(page.locator('main'));
      for (const v of ['Homo sapiens', 'HeLa', 'CVCL_0030', ui.cellLine]) {
        assert.ok(main.includes(v), `the page shows "${v}"`);
      }
      if (lang === 'zh') await screenshot(page, 'zh-accession-cell-line');
    });

    step(story, 'both accessions are found by number, taxon, name and material type', async () => {
      await clickAndLoad(page, mainNav(page).getByRole('link', { name: ui.navAccessions, exact: true }));
      assert.equal(pathOf(page), '/accessions');
      await assertHeading(page, ui.accessionsTitle);

      let found = await search(page, lang, { q: seed.accession_number });
      assert.deepEqual(found.length, 1, `by accession number: ${JSON.stringify(found)}`);
      assert.ok(listed(found, seed.accession_number));

      found = await search(page, lang, { q: cellLine.accession_number.toLowerCase() });
      assert.ok(listed(found, cellLine.accession_number), `by accession number, any case: ${JSON.stringify(found)}`);

      found = await search(page, lang, { q: 'Oryza' });
      assert.ok(listed(found, seed.accession_number), `by taxon: ${JSON.stringify(found)}`);
      assert.ok(!listed(found, cellLine.accession_number), 'the cell line is not an Oryza');

      found = await search(page, lang, { q: 'HeLa' });
      assert.ok(listed(found, cellLine.accession_number), `by name: ${JSON.stringify(found)}`);
      assert.ok(!listed(found, seed.accession_number), 'the seed is not called HeLa');
      const row = page.locator('main table tbody tr', { hasText: cellLine.accession_number });
      assert.equal(await text(row.locator('td').nth(3)), ui.cellLine, 'the material type column uses the catalog label');

      found = await search(page, lang, { q: tag, materialType: 'seed' });
      assert.deepEqual(found.map((c) => c.split(' ').at(-1)), [seed.accession_number], 'material type seed');
      assert.equal(await page.locator('#material_type').inputValue(), 'seed', 'the filter stays selected');

      found = await search(page, lang, { q: tag, materialType: 'cell_line' });
      assert.deepEqual(found.map((c) => c.split(' ').at(-1)), [cellLine.accession_number], 'material type cell line');

      found = await search(page, lang, { q: `${tag}-nothing-like-this` });
      assert.equal(found.length, 0);
      assert.equal(await text(page.locator('main p.card')), ui.none);

      await search(page, lang, { q: tag });
      if (lang === 'en') await screenshot(page, 'en-accessions-search');
    });

    step(story, 'a search result opens the accession page with its audit history', async () => {
      await search(page, lang, { q: seed.accession_number });
      await clickAndLoad(page, page.locator('main table tbody').getByRole('link', { name: seed.accession_number }));
      assert.equal(pathOf(page), `/accessions/${ids.seed}`);
      const history = page.locator('#history');
      assert.equal(await text(history.getByRole('heading', { level: 2 })), ui.history);
      const entries = history.getByTestId('history').locator(':scope > li');
      assert.ok((await entries.count()) >= 1, 'the history has entries');
      const first = await text(entries.first());
      assert.ok(first.startsWith(`${ui.created} · ${curator.username} ·`), `the first history entry is the creation by ${curator.username}: "${first}"`);
      const when = await entries.first().locator('time').getAttribute('datetime');
      assert.ok(!Number.isNaN(Date.parse(when ?? '')), `the entry has a machine-readable time: ${when}`);
      assert.ok(Math.abs(Date.now() - Date.parse(when)) < 10 * 60_000, 'the entry is from this run');
    });

    if (lang === 'en') {
      step(story, 'the language switcher flips a search page to Chinese and back, keeping the query', async () => {
        await clickAndLoad(page, mainNav(page).getByRole('link', { name: ui.navAccessions, exact: true }));
        await search(page, 'en', { q: 'HeLa', materialType: 'cell_line' });
        const before = pathOf(page);
        const link = langSwitcher(page);
        assert.equal(await text(link), '中文');
        const href = (await link.getAttribute('href')) ?? '';
        assert.ok(href.startsWith('/lang/zh?next='), `switcher href: ${href}`);
        await clickAndLoad(page, link);
        assert.equal(pathOf(page), before, 'the switcher comes back to the same search');
        pageLang.set(page, 'zh');
        await assertLang(page, 'zh');
        await assertHeading(page, UI.zh.accessionsTitle);
        assert.equal(await page.locator('#q').inputValue(), 'HeLa');
        assert.ok((await text(signOutButton(page))).startsWith(UI.zh.signOut), 'nav speaks Chinese');
        assert.equal(await text(page.getByRole('search').getByRole('button')), UI.zh.searchButton);

        await clickAndLoad(page, langSwitcher(page));
        pageLang.set(page, 'en');
        assert.equal(pathOf(page), before);
        await assertLang(page, 'en');
        await assertHeading(page, UI.en.accessionsTitle);
      });
    }

    step(story, 'a bad origin country re-renders the form with the message beside the field and the input kept', async (t) => {
      await clickAndLoad(page, mainNav(page).getByRole('link', { name: ui.navNewAccession, exact: true }));
      const bad = { ...seed, accession_number: `${tag}-RICE-BAD`, origin_country: 'XYZ' };
      await fillAccession(page, 'seed', bad);
      await page.locator('#f-remarks').fill('typed by hand; must survive the round trip');
      const response = await clickAndLoad(page, page.getByRole('button', { name: ui.registerButton, exact: true }));
      assert.equal(response?.status(), 422, 'the server rejects the form as unprocessable');
      assert.equal(new URL(page.url()).pathname, '/accessions', 'the form was re-rendered, not redirected');
      await assertHeading(page, ui.newAccessionTitle);

      const country = page.locator('#f-origin_country');
      assert.equal(await country.getAttribute('aria-invalid'), 'true');
      const field = page.locator('.field', { has: country });
      assert.match(await field.getAttribute('class'), /\bhas-error\b/);
      const message = field.locator('.field-error');
      assert.equal(await message.count(), 1, 'one message beside the field');
      const msg = await text(message);
      t.diagnostic(`message beside the country field: ${msg}`);
      assert.ok(msg.includes('XYZ') || /country/i.test(msg) || msg.includes('国'), `the message is about the country: "${msg}"`);
      // beside: directly under the input, in the same column
      const [ib, mb] = [await country.boundingBox(), await message.boundingBox()];
      assert.ok(mb.y >= ib.y + ib.height - 1 && mb.y - (ib.y + ib.height) < 60, 'the message sits right below the input');
      assert.ok(Math.abs(mb.x - ib.x) < 20, 'the message is aligned with the input');
      assert.equal(await page.locator('.field-error').count(), 1, 'no other field is flagged');

      // Everything typed is still there.
      assert.equal(await page.locator('#f-material_type').inputValue(), 'seed');
      for (const [name, value] of Object.entries(bad)) {
        assert.equal(await page.locator(`#f-${name}`).inputValue(), value, `field ${name} keeps its value`);
      }
      assert.equal(await page.locator('#f-remarks').inputValue(), 'typed by hand; must survive the round trip');
      await assertLang(page, lang);
      await screenshot(page, `${lang}-form-error`);

      // Correcting the value and resubmitting registers it.
      await country.fill('CHN');
      await clickAndLoad(page, page.getByRole('button', { name: ui.registerButton, exact: true }));
      assert.match(pathOf(page), /^\/accessions\/\d+$/);
      await assertFlash(page, ui.registered);
      await assertHeading(page, bad.accession_number);
    });

    step(story, 'on a phone (390×844) the submit and sign-out buttons are big enough to tap', async (t) => {
      const phone = await newPage({ locale, viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      pageLang.set(phone.page, lang);
      const p = phone.page;
      const fits = async (what) => {
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${what} fits the phone's width (it overflows by ${overflow} px)`);
      };
      try {
        // The phone shares no cookies with the desktop browser; it signs in by itself.
        await signIn(p, lang, curator);
        await assertLang(p, lang);
        let box = await assertMinHeight(signOutButton(p), 'the sign-out button');
        t.diagnostic(`sign-out button on the start page: ${box.width.toFixed(0)}×${box.height.toFixed(0)} px`);

        await clickAndLoad(p, mainNav(p).getByRole('link', { name: ui.navNewAccession, exact: true }));
        assert.equal(pathOf(p), '/accessions/new');
        box = await assertMinHeight(p.getByRole('button', { name: ui.registerButton, exact: true }), "the form's submit button");
        t.diagnostic(`accession form submit button: ${box.width.toFixed(0)}×${box.height.toFixed(0)} px`);
        box = await assertMinHeight(signOutButton(p), 'the sign-out button on the form page');
        t.diagnostic(`sign-out button on the form page: ${box.width.toFixed(0)}×${box.height.toFixed(0)} px`);
        const sw = await langSwitcher(p).boundingBox();
        t.diagnostic(`language switcher: ${sw.width.toFixed(0)}×${sw.height.toFixed(0)} px`);
        await fits('the accession form');
        await screenshot(p, `${lang}-phone-form`);

        await open(p, `/accessions?q=${encodeURIComponent(tag)}`);
        await fits('the accession list');
        await open(p, `/accessions/${ids.cellLine}`);
        await assertMinHeight(signOutButton(p), 'the sign-out button on the accession page');
        await fits('the accession page');
        await screenshot(p, `${lang}-phone-accession`);
        assert.deepEqual(phone.problems, [], 'no script errors on the phone');
      } finally {
        await phone.context.close();
      }
    });

    step(story, 'the curator signs out', async () => {
      await signOut(page, lang);
      await assertLang(page, lang);
      assert.deepEqual(problems, [], 'no script errors or console errors during the story');
    });
  });
}
