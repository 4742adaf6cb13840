// The browser tests' Chromium: Debian's /usr/bin/chromium driven by playwright-core, headless,
// with a fresh profile, and the checks every page gets (a screenshot at desktop and phone width,
// nothing wider than the phone, every control named). Screenshots go to .screenshots/ (git-ignored).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CONSOLE_URL = process.env.SEATKEY_CONSOLE_URL ?? '';
if (!CONSOLE_URL) throw new Error('SEATKEY_CONSOLE_URL is not set: run the browser tests through `npm test`');
const CHROMIUM = process.env.SEATKEY_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = join(process.cwd(), '.screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'seatkey-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
    viewport: DESKTOP,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  // Waits, not timed assertions: on a loaded two-core machine a function's first (cold) call
  // through Hosting can take a minute or more.
  context.setDefaultTimeout(180_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves the page at desktop and at phone width, then checks every control has a name. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  // Readable at phone width: nothing pushes the page sideways (wide tables scroll in their box).
  const width = await page.evaluate('document.documentElement.scrollWidth');
  assert.ok(Number(width) <= PHONE.width, `${name}: the page is ${width}px wide at a ${PHONE.width}px viewport`);
  await page.setViewportSize(DESKTOP);
  await assertNamedControls(page, name);
}

/** Every interactive element in the accessibility tree has an accessible name. */
export async function assertNamedControls(page: Page, where: string): Promise<void> {
  const tree = await page.locator('body').ariaSnapshot();
  const unnamed = tree.split('\n').filter((line) => /^\s*- (button|link|textbox|searchbox|combobox|spinbutton|switch|checkbox|menuitem|radio)\s*(\[[^\]]*\])?\s*:?\s*$/.test(line));
  assert.deepEqual(unnamed, [], `${where}: controls without an accessible name`);
}
