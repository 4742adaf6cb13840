// The console in a real browser: Debian's Chromium driven by playwright-core against the Hosting,
// Auth, Functions and Firestore emulators. It walks the plan-level guide's workflows (sign up; a
// product and a plan with a 3-device limit and a 12-month expiry; a licence; two machines through
// the client API and "2/3 activations"; revoke one and see the free slot; extend the expiry;
// regenerate the key and see the old one refused by verify; another creator's user sees none of
// it), finds every control by role and accessible name, and saves a screenshot of every page at
// 1280×800 and at phone width under .screenshots/ (git-ignored).
import { after, afterEach, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './browser.ts';
import { asCreator, call, uid } from './helpers.ts';
import { asPerson, signInAgain, type Person } from './accountHelpers.ts';

const CONSOLE_URL = process.env.SEATKEY_CONSOLE_URL;
if (!CONSOLE_URL) throw new Error('SEATKEY_CONSOLE_URL is not set: run the browser tests through `npm test`');
const SHOTS = join(process.cwd(), '.screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let browser: Browser;
let page: Page;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // Waits, not timed assertions: on a loaded two-core machine a function's first (cold) call
  // through Hosting can take a minute or more.
  browser = await launchBrowser({ viewport: DESKTOP, timeoutMs: 180_000, timezoneId: 'UTC' });
  page = browser.page;
});

// The page as each step left it, so a failed step can be seen.
afterEach(async () => {
  await page?.screenshot({ path: join(SHOTS, 'last-step.png') }).catch(() => undefined);
});

after(async () => {
  await browser?.close();
});

/** Saves the page at desktop and at phone width, then checks every control has a name. */
async function snap(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  // Readable at phone width: nothing pushes the page sideways (wide tables scroll in their box).
  const width = await page.evaluate('document.documentElement.scrollWidth');
  assert.ok(Number(width) <= PHONE.width, `${name}: the page is ${width}px wide at a ${PHONE.width}px viewport`);
  await page.setViewportSize(DESKTOP);
  await assertNamedControls(name);
}

/** Every interactive element in the accessibility tree has an accessible name. */
async function assertNamedControls(where: string): Promise<void> {
  const tree = await page.locator('body').ariaSnapshot();
  const unnamed = tree.split('\n').filter((line) => /^\s*- (button|link|textbox|searchbox|combobox|spinbutton|switch|checkbox|menuitem|radio)\s*(\[[^\]]*\])?\s*:?\s*$/.test(line));
  assert.deepEqual(unnamed, [], `${where}: controls without an accessible name`);
}

const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
const dialog = (name: string) => page.getByRole('dialog', { name });

async function openPage(link: string, title = link): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: link, exact: true }).click();
  await heading(title).waitFor();
}

async function signUp(email: string, password: string, accountId: string): Promise<void> {
  await page.goto(`${CONSOLE_URL}/signup`);
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('textbox', { name: 'Account ID' }).fill(accountId);
  await page.getByRole('textbox', { name: 'Account name' }).fill(`Account ${accountId}`);
  await page.getByRole('button', { name: 'Create account' }).click();
  await heading('Products').waitFor();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

const licenseKeyShown = async () => (await page.getByLabel('Licence key', { exact: true }).textContent())!.trim();

// One walk through the console, step by step; each step is its own test (and time budget), and
// the steps share the browser page and what earlier steps made.
const password = `pw-${uid('p')}`;
const email = `${uid('owner')}@example.com`;
const accountId = uid('web');
const productName = `Photo Tool ${uid('p')}`;
let owner: Person;
let productId: string;
let licenseKey: string;

it('signs up: a Firebase user and a creator account, then the Products page', async () => {
  await page.goto(`${CONSOLE_URL}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await snap('sign-in');
  // Wrong credentials show the reason, not a stack.
  await page.getByRole('textbox', { name: 'Email' }).fill('nobody@example.com');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('Wrong email or password.').waitFor();

  await signUp(email, password, accountId);
  await page.getByText('No products yet').waitFor();
  await snap('products-empty');
  const signedIn = await signInAgain({ uid: '', email, password, idToken: '' });
  const me = await asPerson(signedIn, 'getAccount');
  assert.equal(me.body.account.creatorId, accountId);
  assert.equal(me.body.account.role, 'owner');
  owner = { ...signedIn, uid: me.body.user.uid };
});

it('creates a product and a plan with a 3-device activation limit and a 12-month expiry', async () => {
  await page.getByRole('button', { name: 'Create product' }).click();
  const create = dialog('Create product');
  await create.getByRole('textbox', { name: 'Product name' }).fill(productName);
  productId = await create.getByRole('textbox', { name: 'Product ID' }).inputValue();
  assert.match(productId, /^photo-tool-/);
  await create.getByRole('button', { name: 'Create product' }).click();
  await page.getByRole('heading', { name: new RegExp(productName) }).waitFor();

  await page.getByRole('button', { name: `Add plan to ${productName}` }).click();
  const addPlan = dialog(`Add a plan to ${productName}`);
  await addPlan.getByRole('textbox', { name: 'Plan name' }).fill('Pro');
  await addPlan.getByRole('button', { name: 'Add plan' }).click();
  const plan = page.getByRole('form', { name: 'Plan Pro' });
  await plan.getByRole('group', { name: 'License keys' }).waitFor();
  await plan.getByRole('switch', { name: 'Activation limit' }).click();
  await plan.getByRole('spinbutton', { name: 'Activation limit' }).fill('3');
  // The expiry switch by keyboard: focus it and press Space.
  await plan.getByRole('switch', { name: 'License expiry' }).focus();
  await page.keyboard.press('Space');
  assert.equal(await plan.getByRole('switch', { name: 'License expiry' }).getAttribute('aria-checked'), 'true');
  await plan.getByRole('spinbutton', { name: 'License expiry' }).fill('12');
  await plan.getByRole('combobox', { name: 'License expiry unit' }).selectOption({ label: 'Months' });
  await plan.getByRole('button', { name: 'Save changes' }).click();
  await plan.getByRole('status').getByText('Saved').waitFor();
  await snap('products');

  const variants = await asPerson(owner, 'listVariants', { productId });
  assert.equal(variants.status, 200, variants.text);
  assert.deepEqual(
    variants.body.variants.map((v: any) => [v.name, v.maxMachines, v.duration]),
    [['Pro', 3, { value: 12, unit: 'months' }]],
  );
});

it('issues a licence on the plan and shows its details', async () => {
  await openPage('Licenses');
  await page.getByText('No licences yet').waitFor();
  await page.getByRole('button', { name: 'Create license' }).click();
  const create = dialog('Create license');
  await create.getByRole('textbox', { name: 'Buyer email' }).fill('buyer@example.com');
  await create.getByRole('combobox', { name: 'Product' }).selectOption({ label: productName });
  await create.getByRole('combobox', { name: 'Plan' }).selectOption({ label: 'Pro' });
  await create.getByRole('textbox', { name: 'Order ID' }).fill('ORDER-1001');
  await create.getByRole('button', { name: 'Create license' }).click();
  await heading('License details').waitFor();
  licenseKey = await licenseKeyShown();
  assert.match(licenseKey, /^[A-Z0-9]+-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
  await page.getByText('0/3 activations').waitFor();
  const stored = (await asPerson(owner, 'getLicense', { licenseKey })).body.license;
  const months = (new Date(stored.expiresAt).getTime() - Date.now()) / (30.44 * 86_400_000);
  assert.ok(months > 11.5 && months < 12.5, `expires in ${months} months`);
  await page.getByText(/^Expires \d{1,2} \w{3} \d{4}$/).waitFor();
});

it('shows two machines activated through the client API as 2/3, and frees a slot when one is revoked', async () => {
  for (const host of ['studio-mac', 'laptop']) {
    const r = await call('activate', { licenseKey, machineFingerprint: uid(host), hostname: host, productId });
    assert.equal(r.status, 200, r.text);
  }
  await page.reload();
  await page.getByText('2/3 activations').waitFor();
  await page.getByRole('row', { name: /laptop/ }).waitFor();
  await snap('license-details');

  await page.getByRole('row', { name: /laptop/ }).getByRole('button', { name: 'Revoke' }).click();
  const confirm = dialog('Revoke activation');
  await confirm.getByText('its slot is free for another machine').waitFor();
  await confirm.getByRole('button', { name: 'Revoke activation' }).click();
  await page.getByText('1/3 activations').waitFor();
  assert.equal(await page.getByRole('row', { name: /laptop/ }).count(), 0);
  // The free slot takes another machine.
  const third = await call('activate', { licenseKey, machineFingerprint: uid('desk'), hostname: 'desk', productId });
  assert.equal(third.status, 200, third.text);
  assert.equal(third.body.machinesUsed, 2);
});

it('extends the expiry through the Actions menu, by keyboard', async () => {
  const menuButton = page.getByRole('button', { name: 'Actions' });
  await menuButton.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'Actions' });
  assert.deepEqual(await menu.getByRole('menuitem').allTextContents(), ['Regenerate key', 'Edit activation limit', 'Manage expiry', 'Suspend', 'Reinstate', 'Revoke license', 'Deactivate license']);
  await snap('license-menu');
  // Arrow down to "Manage expiry" and choose it with Enter.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const expiry = dialog('Manage expiry');
  const later = new Date(Date.now() + 2 * 365 * 86_400_000).toISOString().slice(0, 10);
  await expiry.getByLabel('Expiry date').fill(later);
  await expiry.getByRole('button', { name: 'Save changes' }).click();
  await expiry.waitFor({ state: 'detached' });
  const shown = new Date(`${later}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  await page.getByText(`Expires ${shown}`).waitFor();
  const stored = (await asPerson(owner, 'getLicense', { licenseKey })).body.license;
  assert.equal(stored.expiresAt, `${later}T23:59:59.000Z`);
  await page.getByRole('listitem').filter({ hasText: 'license.updated' }).first().waitFor();
});

it('regenerates the key after a confirmation; verify refuses the old key', async () => {
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Regenerate key' }).click();
  const confirm = dialog('Regenerate key');
  await confirm.getByText('The current key stops working at once').waitFor();
  await confirm.getByRole('button', { name: 'Regenerate key' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith(encodeURIComponent(licenseKey)));
  await page.getByText('0/3 activations').waitFor();
  const fresh = await licenseKeyShown();
  assert.notEqual(fresh, licenseKey);
  const old = await call('verify', { licenseKey });
  assert.equal(old.status, 404, old.text);
  assert.equal(old.body.valid, false);
  const now = await call('verify', { licenseKey: fresh });
  assert.equal(now.status, 200, now.text);
  assert.equal(now.body.valid, true);
  licenseKey = fresh;
});

it('suspends behind a confirmation that says what it does, and reinstates', async () => {
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Suspend' }).click();
  const confirm = dialog('Suspend licence');
  await confirm.getByText('stops validating on every machine').waitFor();
  await confirm.getByRole('button', { name: 'Suspend' }).click();
  await page.locator('.summary').getByText('Suspended', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Reinstate' }).click();
  await dialog('Reinstate licence').getByRole('button', { name: 'Reinstate' }).click();
  await page.locator('.summary').getByText('Active', { exact: true }).waitFor();
});

it('deactivates a licence for good behind a confirmation that says it is permanent', async () => {
  const issued = await asPerson(owner, 'createLicense', { email: 'leaver@example.com', productId });
  assert.equal(issued.status, 200, issued.text);
  const doomed: string = issued.body.licenseKey;
  await page.goto(`${CONSOLE_URL}/licenses/${encodeURIComponent(doomed)}`);
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Deactivate license' }).click();
  const confirm = dialog('Deactivate license');
  await confirm.getByText('This is permanent and cannot be undone').waitFor();
  await snap('license-deactivate');
  await confirm.getByRole('button', { name: 'Deactivate license' }).click();
  await confirm.waitFor({ state: 'detached' });
  await page.locator('.summary').getByText('Deactivated', { exact: true }).waitFor();
  const refused = await call('verify', { licenseKey: doomed });
  assert.equal(refused.status, 403, refused.text);
  assert.equal(refused.body.code, 'deactivated');
  // Nothing in the menu can bring it back.
  await page.getByRole('button', { name: 'Actions' }).click();
  const menu = page.getByRole('menu', { name: 'Actions' });
  for (const item of ['Regenerate key', 'Edit activation limit', 'Manage expiry', 'Suspend', 'Reinstate', 'Revoke license', 'Deactivate license']) {
    assert.equal(await menu.getByRole('menuitem', { name: item }).getAttribute('aria-disabled'), 'true', item);
  }
  await page.keyboard.press('Escape');
});

it('finds the licence by key, email and order id on the Licenses page', async () => {
  await openPage('Licenses');
  for (const q of [licenseKey.toLowerCase(), 'buyer@example.com', 'ORDER-1001']) {
    await page.getByRole('searchbox', { name: 'Search licenses' }).fill(q);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: licenseKey }).waitFor();
  }
  await page.getByRole('searchbox', { name: 'Search licenses' }).fill('ORDER-404');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('No licences match.').waitFor();
  await page.getByRole('searchbox', { name: 'Search licenses' }).fill('');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Active' });
  await page.getByRole('link', { name: licenseKey }).waitFor();
  await snap('licenses');
});

it('creates a trial code and shows its uses as used/max', async () => {
  await openPage('Codes');
  await page.getByText('No codes yet').waitFor();
  await page.getByRole('button', { name: 'Create code' }).click();
  const create = dialog('Create code');
  const code = uid('TRY').toUpperCase();
  await create.getByRole('textbox', { name: 'Code' }).fill(code);
  await create.getByRole('spinbutton', { name: 'Maximum uses' }).fill('10');
  await create.getByRole('button', { name: 'Create code' }).click();
  const row = page.getByRole('row', { name: new RegExp(code) });
  await row.getByText('0/10').waitFor();
  await row.getByRole('button', { name: `Disable ${code}` }).click();
  await row.getByText('Disabled').waitFor();
  await snap('codes');
});

it('makes an API key shown once with Copy, which then works against the API', async () => {
  await openPage('API keys');
  await page.getByRole('button', { name: 'Create API key' }).click();
  await dialog('Create API key').getByRole('textbox', { name: 'Name' }).fill('Build server');
  await dialog('Create API key').getByRole('button', { name: 'Create API key' }).click();
  const secret = (await page.getByLabel('API key (shown once)', { exact: true }).textContent())!.trim();
  assert.match(secret, /^sk_live_/);
  await page.getByRole('region', { name: 'New API key' }).getByRole('button', { name: 'Copy' }).click();
  await page.getByRole('status').getByText('Copied').waitFor();
  await snap('api-keys');
  const listed = await asCreator(secret, 'listProducts', { includeAll: true });
  assert.deepEqual(listed.body.products.map((p: any) => p.productId), [productId]);
  // Shown once: gone after Done and a reload.
  await page.getByRole('button', { name: 'Done' }).click();
  await page.reload();
  await heading('API keys').waitFor();
  assert.equal(await page.getByText(secret).count(), 0);
});

it('makes a test API key limited to chosen scopes, listed with its mode and scopes', async () => {
  await openPage('API keys');
  await page.getByRole('button', { name: 'Create API key' }).click();
  const form = dialog('Create API key');
  await form.getByRole('textbox', { name: 'Name' }).fill('Support desk');
  await form.getByRole('combobox', { name: 'Mode' }).selectOption('test');
  await form.getByRole('checkbox', { name: 'licenses:read' }).check();
  await form.getByRole('button', { name: 'Create API key' }).click();
  const secret = (await page.getByLabel('API key (shown once)', { exact: true }).textContent())!.trim();
  assert.match(secret, /^sk_test_/);
  await page.getByRole('button', { name: 'Done' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Support desk' });
  await row.getByText('Scopes: licenses:read').waitFor();
  await row.getByText('Test', { exact: true }).waitFor();
  assert.equal((await asCreator(secret, 'listLicenses', {})).status, 200);
  const refused = await asCreator(secret, 'createProduct', { name: 'Nope', slug: uid('nope') });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, 'insufficient_scope');
});

it('shows sales totals and the daily chart after a purchase signed with a webhook secret made on the Webhooks page', async () => {
  await openPage('Webhooks');
  await page.getByRole('button', { name: 'Create webhook secret' }).click();
  await dialog('Create webhook secret').getByRole('textbox', { name: 'Name' }).fill('Shop');
  await dialog('Create webhook secret').getByRole('button', { name: 'Create webhook secret' }).click();
  const secret = (await page.getByLabel('webhook secret (shown once)', { exact: true }).textContent())!.trim();
  const paid = await call('paymentWebhook', { type: 'purchase.completed', email: 'sale@example.com', productId, purchaseId: uid('sale'), amount: 4900, currency: 'USD' }, { headers: { 'x-webhook-secret': secret } });
  assert.equal(paid.status, 200, paid.text);

  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const add = dialog('Add endpoint');
  await add.getByRole('textbox', { name: 'Endpoint URL' }).fill('http://127.0.0.1:9/seatkey-events');
  await add.getByRole('checkbox', { name: 'license.created' }).check();
  await add.getByRole('button', { name: 'Add endpoint' }).click();
  const row = page.getByRole('row', { name: /seatkey-events/ });
  await row.getByText('license.created').waitFor();
  // A paused endpoint (as after repeated failures) offers "Resume".
  const hookId = (await asPerson(owner, 'listWebhooks')).body.webhooks[0].id;
  assert.equal((await asPerson(owner, 'updateWebhook', { webhookId: hookId, status: 'paused' })).status, 200);
  await page.reload();
  await row.getByText('Paused').waitFor();
  await snap('webhooks');
  await row.getByRole('button', { name: /^Resume/ }).click();
  await row.getByText('Active').waitFor();
  assert.equal((await asPerson(owner, 'listWebhooks')).body.webhooks[0].status, 'active');

  await openPage('Sales');
  await page.getByRole('img', { name: 'Daily gross and units in USD' }).waitFor();
  const usd = page.getByRole('row', { name: /^USD/ });
  await usd.getByText('US$49.00').first().waitFor();
  await snap('sales');

  // The purchase's buyer email, in the Outbox with its key.
  await openPage('Outbox');
  const mail = page.getByRole('row', { name: /sale@example\.com/ });
  await mail.getByRole('link', { name: paid.body.licenseKey }).waitFor();
  await mail.getByText('Queued (not sent yet)').waitFor();
  await mail.getByLabel('Show the email to sale@example.com').click();
  await mail.getByText(/Thank you for choosing/).waitFor();
  await snap('outbox');
});

it('shows the account, members and the buyer email preview on Settings', async () => {
  await openPage('Settings');
  await page.getByText(`${accountId.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 8)}-`, { exact: true }).waitFor();
  const mate = `${uid('mate')}@example.com`;
  await page.getByRole('textbox', { name: "Teammate's email" }).fill(mate);
  await page.getByRole('button', { name: 'Invite member' }).click();
  await page.getByRole('row', { name: new RegExp(mate) }).getByText('Invited').waitFor();
  await page.getByRole('textbox', { name: 'Subject' }).fill('Your {product} key');
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByText(`Your ${productName} key`).waitFor();
  await snap('settings');
});

it('connects a payment provider, shows its webhook URL with Copy, and maps products', async () => {
  await openPage('Payments', 'Payment connections');
  await page.getByText('No payment connections yet').waitFor();
  await page.getByRole('button', { name: 'Connect provider' }).click();
  const connect = dialog('Connect a payment provider');
  await connect.getByRole('combobox', { name: 'Provider' }).selectOption('stripe');
  await connect.getByRole('textbox', { name: 'Name' }).fill('Main Stripe');
  const signingSecret = `whsec_${uid('console')}`;
  await connect.getByLabel('Signing secret').fill(signingSecret);
  await connect.getByRole('textbox', { name: 'Provider product' }).fill('price_console_1');
  await connect.getByRole('combobox', { name: 'Seatkey product' }).selectOption(productId);
  await connect.getByRole('button', { name: 'Connect' }).click();
  const created = page.getByRole('region', { name: 'New connection' });
  const url = (await created.getByLabel('Webhook URL', { exact: true }).textContent())!.trim();
  assert.match(url, /\/stripeWebhook\/pc_[\w-]+$/);
  await created.getByRole('button', { name: 'Copy webhook URL' }).waitFor();
  await created.getByRole('button', { name: 'Done' }).click();

  const card = page.getByRole('region', { name: 'Main Stripe' });
  await card.getByRole('table', { name: 'Products mapped for Main Stripe' }).getByText('price_console_1').waitFor();
  await card.getByRole('button', { name: 'Map product for Main Stripe' }).click();
  const map = dialog('Map a product for Main Stripe');
  await map.getByRole('textbox', { name: 'Provider product' }).fill('prod_console_2');
  await map.getByRole('button', { name: 'Map product' }).click();
  await card.getByText('prod_console_2').waitFor();
  await snap('payments');

  const listed = await asPerson(owner, 'listPaymentConnections');
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(listed.body.connections[0].products.map((m: { match: string; productId: string }) => [m.match, m.productId]), [['price_console_1', productId], ['prod_console_2', productId]]);
  assert.ok(!listed.text.includes(signingSecret), 'the signing secret is never returned');

  await card.getByRole('button', { name: 'Disconnect Main Stripe' }).click();
  await dialog('Disconnect Main Stripe').getByRole('button', { name: 'Disconnect' }).click();
  await page.getByText('No payment connections yet').waitFor();
});

it('shows another creator\'s user none of it', async () => {
  await signOut();
  await signUp(`${uid('other')}@example.com`, password, uid('rival'));
  await page.getByText('No products yet').waitFor();
  await openPage('Licenses');
  await page.getByText('No licences yet').waitFor();
  await page.goto(`${CONSOLE_URL}/licenses/${encodeURIComponent(licenseKey)}`);
  await page.getByRole('alert').getByText('Licence not found').waitFor();
  await snap('license-not-found');
  await openPage('API keys');
  await page.getByText('No API keys yet').waitFor();
  await openPage('Codes');
  await page.getByText('No codes yet').waitFor();
  await openPage('Outbox');
  await page.getByText('No buyer emails yet').waitFor();
});

it('closes the account for good from Settings, after typing its id: its licences stop working', async () => {
  await signOut();
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading('Products').waitFor();
  assert.equal((await call('verify', { licenseKey })).status, 200);
  await openPage('Settings');
  await page.getByRole('button', { name: 'Close account…' }).click();
  const confirm = dialog('Close this account for good');
  await confirm.getByText('Every licence key of this account stops working at once').waitFor();
  await confirm.getByRole('textbox', { name: 'Account ID to confirm' }).fill('not-the-id');
  await confirm.getByRole('button', { name: 'Close account and delete everything' }).click();
  await confirm.getByRole('alert').getByText(/confirm must be the account id/).waitFor();
  await snap('close-account');
  await confirm.getByRole('textbox', { name: 'Account ID to confirm' }).fill(accountId);
  await confirm.getByRole('button', { name: 'Close account and delete everything' }).click();
  await page.getByRole('status').getByText('Your account was closed and everything in it deleted.').waitFor();
  await snap('account-closed');
  assert.equal((await call('verify', { licenseKey })).status, 404);
  // Signing in again offers a new account: the old one is gone.
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Finish creating your account' }).waitFor();
});
