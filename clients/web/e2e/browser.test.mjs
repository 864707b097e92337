// The web client end to end, in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is downloaded), against a running stack:
//
//   CHAT_BASE_URL     the public entry serving the client (default http://localhost:8000)
//   CHAT_SCREENSHOTS  a directory: web-login.png, web-rooms.png, web-room.png are saved there
//   CHAT_USERS        two users, "alice:alice-pass,bob:bob-pass" (the default)
//
// Every wait is on a condition with a timeout, never a fixed sleep; the whole file is bounded
// (a watchdog ends it after 170 s). It prints one line `WEB_METRICS {...}` on stdout.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const BASE = (process.env.CHAT_BASE_URL ?? 'http://localhost:8000').replace(/\/+$/, '');
const SHOTS = process.env.CHAT_SCREENSHOTS;
const [ALICE, BOB] = (process.env.CHAT_USERS ?? 'alice:alice-pass,bob:bob-pass').split(',').map((pair) => {
  const [username, password] = pair.split(':');
  return { username, password };
});
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 667 };
const T = 20_000; // one expectation
const TAG = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const ROOM_NAME = `e2e room ${TAG}`;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const metrics = { firstMessageMs: null, bundleGzipBytes: bundleGzipBytes() };
const pageErrors = [];

let browser;
let alice; // { context, page, userId }
let bob;
let roomId;

const watchdog = setTimeout(() => {
  console.error('e2e: the watchdog ended the run after 170 s');
  process.exit(1);
}, 170_000);
watchdog.unref();

before(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS, timeout: 30_000 });
});

after(async () => {
  console.log(`WEB_METRICS ${JSON.stringify(metrics)}`);
  await browser?.close();
  clearTimeout(watchdog);
});

/** On a failure, what each page showed: the first thing to read in a CI log. */
async function explained(body) {
  try {
    await body();
  } catch (error) {
    for (const context of browser?.contexts() ?? []) {
      for (const page of context.pages()) {
        const text = await page.locator('body').innerText({ timeout: 2_000 }).catch(() => '(unreadable)');
        console.error(`--- ${page.url()}\n${text.slice(0, 1_500)}`);
      }
    }
    throw error;
  }
}

async function newUser(credentials, { screenshot } = {}) {
  const context = await browser.newContext({ viewport: DESKTOP });
  context.setDefaultTimeout(T);
  const page = await newPage(context);
  await page.goto(`${BASE}/#/rooms`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Keycloak's login page, reached from the client's redirect.
  const username = page.locator('input[name="username"]');
  await username.waitFor({ timeout: 30_000 });
  assert.ok(!page.url().startsWith(BASE), `the login page is the identity provider's, not ${page.url()}`);
  const authorize = new URL(page.url());
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(authorize.searchParams.get('state') && authorize.searchParams.get('nonce'), 'state and nonce are sent');
  if (screenshot) await shot(page, 'web-login.png');
  await username.fill(credentials.username);
  await page.locator('input[name="password"]').fill(credentials.password);
  await page.locator('input[name="password"]').press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Rooms' }).waitFor({ timeout: 30_000 });
  assert.ok(!/[?&]code=/.test(page.url()), 'the authorization code is gone from the address bar');
  const userId = await page.getByTestId('me').getAttribute('data-user-id');
  assert.ok(userId);
  return { context, page, userId };
}

async function newPage(context) {
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
  return page;
}

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, name) });
}

/** A message's body element by its exact text. */
const bodies = (page, text) => page.getByTestId('message-body').getByText(text, { exact: true });

async function send(page, text) {
  const box = page.getByRole('textbox', { name: 'Message', exact: true });
  await box.fill(text);
  await box.press('Enter');
  // Shown at once; confirmed when its echo comes back.
  await page.locator('[data-testid="message"][data-state="sent"]', { has: bodies(page, text) }).waitFor();
}

async function memberOnline(page, userId, online) {
  await page.locator(`[data-testid="member"][data-user-id="${userId}"][data-online="${online}"]`).waitFor({ timeout: 30_000 });
}

async function roomPage(page) {
  await page.getByRole('heading', { level: 1, name: ROOM_NAME }).waitFor();
  await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor();
}

async function axe(page, where) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `axe-core on ${where} at ${PHONE.width}x${PHONE.height}`,
  );
}

async function noHorizontalScroll(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${where} scrolls sideways by ${overflow}px`);
}

test('alice and bob sign in, meet in a new public room, talk both ways and see each other come and go', { timeout: 100_000 }, () => explained(async () => {
  alice = await newUser(ALICE, { screenshot: true });
  await alice.page.locator('[data-testid="room-list"][aria-busy="false"]').waitFor({ state: 'attached' });
  await shot(alice.page, 'web-rooms.png');
  bob = await newUser(BOB);

  await alice.page.getByRole('textbox', { name: 'Room name' }).fill(ROOM_NAME);
  await alice.page.getByRole('combobox', { name: 'Visibility' }).selectOption('public');
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  await roomPage(alice.page);
  roomId = /#\/rooms\/([A-Za-z0-9_-]+)$/.exec(alice.page.url())?.[1];
  assert.ok(roomId, `the room's route: ${alice.page.url()}`);

  const search = bob.page.getByRole('searchbox', { name: 'Search rooms' });
  await search.fill(TAG);
  await search.press('Enter');
  const found = bob.page.getByTestId('room').filter({ hasText: ROOM_NAME });
  await found.waitFor();
  await found.getByRole('button', { name: `Join ${ROOM_NAME}` }).click();
  await roomPage(bob.page);
  assert.match(bob.page.url(), new RegExp(`#/rooms/${roomId}$`));

  const hello = `hello bob ${TAG}`;
  const reply = `hi alice ${TAG}`;
  await send(alice.page, hello);
  await bodies(bob.page, hello).waitFor();
  await send(bob.page, reply);
  await bodies(alice.page, reply).waitFor();
  await send(alice.page, `how are you ${TAG}`);
  await bodies(bob.page, `how are you ${TAG}`).waitFor();

  await memberOnline(alice.page, bob.userId, true);
  await memberOnline(bob.page, alice.userId, true);
  await shot(alice.page, 'web-room.png');

  await bob.page.close();
  await memberOnline(alice.page, bob.userId, false);
}));

test('bob misses nothing while offline: every message once, in order', { timeout: 60_000 }, () => explained(async () => {
  // A new page of bob's context: the session is still there, no login. This is the room
  // page's load after login the metric measures.
  bob.page = await newPage(bob.context);
  await bob.page.goto(`${BASE}/#/rooms/${roomId}`);
  await roomPage(bob.page);
  await bodies(bob.page, `how are you ${TAG}`).waitFor();
  metrics.firstMessageMs = await bob.page.evaluate(() => {
    const mark = performance.getEntriesByName('chat:first-message')[0];
    return mark ? Math.round(mark.startTime) : null;
  });
  assert.ok(metrics.firstMessageMs !== null, 'the client marks its first message shown');
  await memberOnline(alice.page, bob.userId, true);
  // Bob follows the room live.
  await send(alice.page, `before the cut ${TAG}`);
  await bodies(bob.page, `before the cut ${TAG}`).waitFor();

  await bob.context.setOffline(true);
  await bob.page.locator('[data-testid="connection"][data-state="offline"]').waitFor();
  const missed = Array.from({ length: 5 }, (_, i) => `missed ${i + 1} ${TAG}`);
  for (const text of missed) await send(alice.page, text);
  await bob.context.setOffline(false);

  await bob.page.locator('[data-testid="connection"][data-state="online"]').waitFor();
  await bodies(bob.page, missed.at(-1)).waitFor();
  for (const text of missed) assert.equal(await bodies(bob.page, text).count(), 1, `"${text}" is shown once`);
  const shown = await bob.page.getByTestId('message-body').allTextContents();
  assert.deepEqual(
    shown.filter((text) => text.startsWith('missed ')),
    missed,
    'the missed messages, in order',
  );
  // And the socket is live again both ways.
  await send(bob.page, `back ${TAG}`);
  await bodies(alice.page, `back ${TAG}`).waitFor();
}));

test('a phone-sized screen passes axe-core (no serious or critical violation) on the room list and the room view', { timeout: 40_000 }, () => explained(async () => {
  await bob.page.setViewportSize(PHONE);
  await bodies(bob.page, `back ${TAG}`).waitFor();
  await bob.page.getByTestId('member').first().waitFor();
  await shot(bob.page, 'web-room-phone.png');
  await axe(bob.page, 'the room view');
  await noHorizontalScroll(bob.page, 'the room view');

  await bob.page.getByRole('link', { name: 'All rooms' }).click();
  await bob.page.getByRole('heading', { level: 1, name: 'Rooms' }).waitFor();
  await bob.page.getByTestId('room').first().waitFor();
  await shot(bob.page, 'web-rooms-phone.png');
  await axe(bob.page, 'the room list');
  await noHorizontalScroll(bob.page, 'the room list');
}));

test('a reload keeps the session and the room; logout in one tab ends it in every tab', { timeout: 60_000 }, () => explained(async () => {
  await alice.page.reload();
  await roomPage(alice.page);
  assert.ok(alice.page.url().startsWith(`${BASE}/`), `no login page after a reload: ${alice.page.url()}`);
  assert.match(alice.page.url(), new RegExp(`#/rooms/${roomId}$`));
  await bodies(alice.page, `back ${TAG}`).waitFor();

  const second = await newPage(alice.context);
  await second.goto(`${BASE}/#/rooms`);
  await second.getByRole('heading', { level: 1, name: 'Rooms' }).waitFor();

  await alice.page.getByRole('button', { name: 'Sign out' }).click();
  await second.getByTestId('signed-out').waitFor();
  await alice.page.getByTestId('signed-out').waitFor({ timeout: 30_000 });
  assert.ok(alice.page.url().startsWith(`${BASE}/`), `back at the client after logout: ${alice.page.url()}`);
  // Ended at Keycloak too: signing in again asks for the password.
  await second.getByRole('button', { name: 'Sign in' }).click();
  await second.locator('input[name="password"]').waitFor({ timeout: 30_000 });
}));

test('no uncaught error in any page', () => {
  assert.deepEqual(pageErrors, []);
});

function bundleGzipBytes() {
  const assets = fileURLToPath(new URL('../dist/assets/', import.meta.url));
  if (!existsSync(assets)) return null;
  return readdirSync(assets)
    .filter((name) => /\.(js|css)$/.test(name))
    .reduce((sum, name) => sum + gzipSync(readFileSync(join(assets, name)), { level: 9 }).length, 0);
}
