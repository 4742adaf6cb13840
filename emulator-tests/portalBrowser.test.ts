// The buyer portal in Chromium (the console's harness, browserHelpers.ts), as a buyer who got a new
// computer: asks for a sign-in link at /portal, opens it, sees the licence ("2/2 activations",
// each machine with its label and metadata), shows and copies the key, deactivates the old machine
// behind a confirmation, and the client API then activates the new one within the limit. Also
// "Email me my key", the empty state, a used link, and screenshots of each state at desktop and phone width
// (.screenshots/portal-*.png).
import { after, afterEach, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { asCreator, newCreator, newProduct, uid, type CreatorFixture } from './helpers.ts';
import { client, eventsOf, machine } from './clientHelpers.ts';
import { signInLinksFor } from './portalHelpers.ts';
import { CONSOLE_URL, launchBrowser, SHOTS, snap, type Browser } from './browserHelpers.ts';

let browser: Browser;
let page: Page;

before(async () => {
  browser = await launchBrowser();
  page = browser.page;
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: CONSOLE_URL });
});

afterEach(async () => {
  await page?.screenshot({ path: join(SHOTS, 'portal-last-step.png') }).catch(() => undefined);
});

after(async () => {
  await browser?.close();
});

const heading = (name: string) => page.getByRole('heading', { name, level: 1 });

const email = `${uid('buyer')}@buyers.example.com`;
const productName = `Sketch Pad ${uid('p')}`;
const app = client();
const oldMachine = machine();
const newMachine = machine();
let creator: CreatorFixture;
let licenseKey: string;
let usedLink: string;

it('sets up a product with the portal on and a licence whose two seats are taken', async () => {
  creator = await newCreator('portal-web');
  const productId = await newProduct(creator, { name: productName, portalEnabled: true, supportEmail: 'help@sketchpad.example', maxMachines: 2 });
  const r = await asCreator(creator.apiKey, 'createLicense', { email, productId, maxMachines: 2, expiresAt: '2031-06-30T00:00:00Z' });
  assert.equal(r.status, 200, r.text);
  licenseKey = r.body.licenseKey;
  assert.equal((await app('activate', { licenseKey, machineFingerprint: oldMachine, hostname: 'old-desktop', metadata: { os: 'Windows 10' } })).status, 200);
  assert.equal((await app('activate', { licenseKey, machineFingerprint: machine(), hostname: 'studio-laptop', metadata: { os: 'macOS 15' } })).status, 200);
  const full = await app('activate', { licenseKey, machineFingerprint: newMachine, hostname: 'new-desktop' });
  assert.equal(full.status, 403, 'the new computer is refused: the limit is reached');
  assert.equal(full.body.code, 'machine_limit');
});

it('asks for a sign-in link and says to check the email, whatever the address', async () => {
  await page.goto(`${CONSOLE_URL}/portal`);
  await heading('Manage your licences').waitFor();
  await snap(page, 'portal-sign-in');
  await page.getByRole('textbox', { name: 'Email address' }).fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await heading('Check your email').waitFor();
  await page.getByText(email).waitFor();
  await snap(page, 'portal-check-email');
});

it('opens the link and sees the licence with its machines', async () => {
  const link = (await signInLinksFor(email)).at(-1);
  assert.ok(link, 'the Auth emulator made a sign-in link');
  usedLink = link.oobLink;
  // The emulator's action page sends the browser on to the portal, as Firebase's does deployed.
  await page.goto(link.oobLink);
  await heading('Your licences').waitFor();
  const card = page.getByRole('article', { name: productName });
  await card.getByText('2/2 activations').waitFor();
  await card.getByText('Expires 30 Jun 2031').waitFor();
  await card.getByRole('link', { name: 'help@sketchpad.example' }).waitFor();
  const machines = card.getByRole('list', { name: `Machines using ${productName}` });
  await machines.getByText('old-desktop').waitFor();
  await machines.getByText('os: Windows 10').waitFor();
  assert.equal(await page.getByText(licenseKey).count(), 0, 'the key is masked until asked for');
  assert.equal(new URL(page.url()).search, '', 'the one-time code is gone from the address bar');

  await card.getByRole('button', { name: `Show key for ${productName}` }).click();
  await card.getByText(licenseKey).waitFor();
  await card.getByRole('button', { name: `Copy key for ${productName}` }).click();
  await card.getByRole('status').getByText('Copied').waitFor();
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), licenseKey);
  await card.getByRole('button', { name: `Hide key for ${productName}` }).click();
  await card.getByText('Copied').waitFor({ state: 'detached' });
  await snap(page, 'portal-licences');
});

it('deactivates the old machine behind a confirmation, recorded as the buyer\'s', async () => {
  const card = page.getByRole('article', { name: productName });
  // By keyboard: focus the button and press Enter.
  await card.getByRole('button', { name: 'Deactivate old-desktop' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Deactivate old-desktop?' });
  await dialog.getByText('frees its seat').waitFor();
  await snap(page, 'portal-deactivate');
  await dialog.getByRole('button', { name: 'Deactivate' }).click();
  await dialog.waitFor({ state: 'detached' });
  await card.getByText('1/2 activations').waitFor();
  assert.equal(await card.getByText('old-desktop').count(), 0);
  const removed = (await eventsOf(licenseKey)).filter((e) => e.type === 'activation.removed');
  assert.deepEqual(removed.map((e) => e.data.actor), [{ kind: 'buyer', email }]);
});

it('the client API then activates the new computer within the limit', async () => {
  const r = await app('activate', { licenseKey, machineFingerprint: newMachine, hostname: 'new-desktop' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual({ used: r.body.machinesUsed, max: r.body.maxMachines }, { used: 2, max: 2 });
  await page.reload();
  const card = page.getByRole('article', { name: productName });
  await card.getByText('2/2 activations').waitFor();
  await card.getByText('new-desktop').waitFor();
});

it('emails the key again to the same address', async () => {
  const card = page.getByRole('article', { name: productName });
  await card.getByRole('button', { name: `Email me my key for ${productName}` }).click();
  await card.getByText(`Sent to ${email}`).waitFor();
});

it('shows the empty state once nothing is left to manage, and signs out', async () => {
  assert.equal((await asCreator(creator.apiKey, 'revokeLicense', { licenseKey })).status, 200);
  await page.reload();
  await page.getByText(`No licences for ${email}`).waitFor();
  await snap(page, 'portal-empty');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await heading('Manage your licences').waitFor();
});

it('asks for the address when a link is opened without it, and says when a link was already used', async () => {
  // The address was forgotten on sign-in, as in another browser: the page asks for it first.
  await page.goto(usedLink);
  await heading('Confirm your email').waitFor();
  await page.getByRole('textbox', { name: 'Email address' }).fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('This sign-in link has expired or was already used. Ask for a new one.').waitFor();
  await snap(page, 'portal-link-used');
  await page.getByRole('button', { name: 'Ask for a new link' }).click();
  await heading('Manage your licences').waitFor();
  assert.equal(new URL(page.url()).search, '', 'the used code is gone from the address bar');
});
