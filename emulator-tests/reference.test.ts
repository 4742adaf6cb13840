// The API reference in a real browser (Debian's Chromium through playwright-core, as in
// console.test.ts): Hosting serves /openapi.json and /reference, the bundled renderer draws the
// document with its endpoints, and nothing is fetched from anywhere but the Hosting emulator
// (no CDN: the page works offline). Screenshots go to .screenshots/reference-desktop.png and
// reference-phone.png.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CONSOLE_URL, DESKTOP, launchBrowser, PHONE, SHOTS, type Browser } from './browserHelpers.ts';
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

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

it("shows an operation's credential badges beside nothing else: not over the tag's heading, inside the page, at desktop and phone width", async () => {
  // Still on /createLicense, which five credentials admit (the widest row of badges).
  const badges = page.locator('.security-info-button').first();
  const heading = page.locator('h1.tag-link').first();
  await heading.waitFor();
  const [row, title] = [(await badges.boundingBox())!, (await heading.boundingBox())!];
  assert.ok(row && title, 'the badges and the heading are drawn');
  assert.ok(!overlaps(row, title), `the badges ${JSON.stringify(row)} are drawn over the heading ${JSON.stringify(title)}`);
  // Every badge inside the operation's column: none runs under the navigation or off the page.
  const column = (await page.locator('.expanded-endpoint-body').first().boundingBox())!;
  for (const badge of await page.locator('.security-info-button .security-tooltip').all()) {
    const b = (await badge.boundingBox())!;
    assert.ok(b.x >= column.x - 1 && b.x + b.width <= column.x + column.width + 1, `a badge at ${JSON.stringify(b)} leaves its column ${JSON.stringify(column)}`);
  }
  await page.setViewportSize(PHONE);
  try {
    // At phone width the renderer lists the operations; opening one shows its badges.
    await page.locator('.m-endpoint').first().waitFor();
    const phoneRow = page.locator('.security-info-button').filter({ visible: true }).first();
    if (!(await phoneRow.isVisible())) await page.getByText('/createLicense', { exact: true }).filter({ visible: true }).first().click();
    await phoneRow.scrollIntoViewIfNeeded();
    const box = (await phoneRow.boundingBox())!;
    assert.ok(box.width > 0 && box.x >= 0 && box.x + box.width <= PHONE.width, `the badges at phone width: ${JSON.stringify(box)}`);
    await page.screenshot({ path: join(SHOTS, 'reference-phone.png') });
  } finally {
    await page.setViewportSize(DESKTOP);
  }
});
