// The API reference in a real browser (Debian's Chromium through playwright-core, as in
// console.test.ts): Hosting serves /openapi.json and /reference, the bundled renderer draws the
// document with its endpoints, and nothing is fetched from anywhere but the Hosting emulator
// (no CDN: the page works offline). A screenshot goes to .screenshots/reference-desktop.png.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CONSOLE_URL, launchBrowser, SHOTS, type Browser } from './browserHelpers.ts';
import { OPENAPI_URL } from './documented.ts';


let browser: Browser;
let page: Page;
const elsewhere: string[] = [];

before(async () => {
  browser = await launchBrowser();
  page = browser.page;
  const origin = new URL(CONSOLE_URL).origin;
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol.startsWith('http') && url.origin !== origin) elsewhere.push(req.url());
  });
});

after(async () => {
  await browser?.close();
});

it('serves the OpenAPI document the build wrote', async () => {
  const res = await fetch(new URL('/openapi.json', CONSOLE_URL));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), JSON.parse(readFileSync(OPENAPI_URL, 'utf8')));
});

it('renders the reference from it, listing the endpoints, with nothing fetched from elsewhere', async () => {
  const res = await page.goto(new URL('/reference', CONSOLE_URL).href);
  assert.equal(res?.status(), 200);
  // The renderer draws inside its shadow root; Playwright's locators look inside it.
  await page.getByText('Seatkey API', { exact: true }).first().waitFor();
  await page.getByRole('status').waitFor({ state: 'detached' });
  // The navigation lists every operation by its path; choosing one shows its summary and fields.
  await page.getByText('/activate', { exact: true }).first().waitFor();
  await page.getByText('/createLicense', { exact: true }).first().click();
  await page.getByText('A licence for a buyer', { exact: true }).first().waitFor();
  await page.getByText('purchaseId', { exact: true }).first().waitFor();
  await page.screenshot({ path: join(SHOTS, 'reference-desktop.png') });
  assert.deepEqual(elsewhere, [], 'the page fetched from outside the Hosting emulator');
});
