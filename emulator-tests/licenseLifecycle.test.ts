// A licence's life beyond the happy path (issue 12): permanent deactivation, a regenerated key
// emailed to the buyer, plans that issue no licence, grace after expiry, and expiry reminders.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { run as remindExpiries } from '../functions/src/jobs/remindExpiries.ts';
import { db } from '../functions/src/store/firestore.ts';
import { client, isValidError, machine, newLicense } from './clientHelpers.ts';
import { asCreator, call, isErrorShape, newCreator, newProduct, uid, WEBHOOK_SECRET } from './helpers.ts';

const app = (name: string, body: unknown) => client()(name, body);
const DAY = 86_400_000;

async function mailsOf(licenseKey: string) {
  return (await (await db()).collection('mail').where('licenseKey', '==', licenseKey).get()).docs.map((d) => d.data());
}

describe('deactivateLicense', () => {
  it('is permanent: every client call is refused and nothing brings the key back', async () => {
    const { creator, licenseKey } = await newLicense();
    const fp = machine();
    const act = await app('activate', { licenseKey, machineFingerprint: fp });
    assert.equal(act.status, 200, act.text);
    const stranger = await newCreator('other');
    assert.equal((await asCreator(stranger.apiKey, 'deactivateLicense', { licenseKey })).status, 404);
    const r = await asCreator(creator.apiKey, 'deactivateLicense', { licenseKey });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.permanent, true);
    assert.match(r.body.message, /cannot be undone/);
    assert.equal(r.body.license.deactivated, true);
    assert.equal(r.body.license.status, 'revoked');
    const v = await app('validate', { token: act.body.token, machineFingerprint: fp });
    assert.equal(v.status, 403);
    assert.ok(isValidError(v.body, 'deactivated'), v.text);
    assert.ok(isValidError((await app('verify', { licenseKey })).body, 'deactivated'));
    assert.ok(isErrorShape((await app('activate', { licenseKey, machineFingerprint: machine() })).body, 'deactivated'));
    for (const [name, body] of [
      ['reinstateLicense', {}],
      ['regenerateLicense', {}],
      ['updateLicense', { status: 'active' }],
      ['revokeLicense', { reason: 'manual' }],
    ] as const) {
      const x = await asCreator(creator.apiKey, name, { licenseKey, ...body });
      assert.equal(x.status, 409, `${name}: ${x.text}`);
      assert.ok(isErrorShape(x.body, 'conflict'));
    }
    const again = await asCreator(creator.apiKey, 'deactivateLicense', { licenseKey });
    assert.equal(again.status, 200);
    assert.equal(again.body.license.deactivatedAt, r.body.license.deactivatedAt, 'the first deactivation stands');
    assert.equal((await app('verify', { licenseKey })).status, 403);
  });
});

describe('regenerateLicense emails the buyer', () => {
  it('queues the new key for the buyer by default, and nothing with notify: false', async () => {
    const { creator, licenseKey } = await newLicense();
    const r = await asCreator(creator.apiKey, 'regenerateLicense', { licenseKey });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.buyerNotified, true);
    const [mail, ...more] = await mailsOf(r.body.licenseKey);
    assert.equal(more.length, 0);
    assert.deepEqual(mail?.to, ['buyer@example.com']);
    assert.equal(mail?.kind, 'regenerated');
    assert.match(mail?.message.text, new RegExp(r.body.licenseKey));
    assert.match(mail?.message.text, /old key no longer works/);
    const quiet = await asCreator(creator.apiKey, 'regenerateLicense', { licenseKey: r.body.licenseKey, notify: false });
    assert.equal(quiet.status, 200, quiet.text);
    assert.equal(quiet.body.buyerNotified, false);
    assert.deepEqual(await mailsOf(quiet.body.licenseKey), []);
  });
});

describe('plans with licences switched off', () => {
  it('records the sale but issues no licence and sends no email, once per purchase', async () => {
    const c = await newCreator('plan');
    const productId = await newProduct(c);
    const v = await asCreator(c.apiKey, 'createVariant', { productId, name: 'Support only', licensesEnabled: false });
    assert.equal(v.status, 200, v.text);
    assert.equal(v.body.variant.licensesEnabled, false);
    const purchaseId = uid('order');
    const body = { type: 'purchase.completed', email: 'buyer@example.com', productId, variant: v.body.variantId, purchaseId, amount: 1500, currency: 'USD' };
    const pay = () => call('paymentWebhook', body, { headers: { 'x-webhook-secret': WEBHOOK_SECRET } });
    const [first, second] = await Promise.all([pay(), pay()]);
    for (const r of [first!, second!]) {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.licenseIssued, false);
      assert.equal(r.body.licenseKey, null);
    }
    assert.deepEqual([first!.body.created, second!.body.created].sort(), [false, true]);
    const sales = (await (await db()).collection('sales').where('purchaseId', '==', purchaseId).get()).docs.map((d) => d.data());
    assert.equal(sales.length, 1);
    assert.equal(sales[0]!.amountCents, 1500);
    assert.equal(sales[0]!.licenseKey, null);
    const listed = await asCreator(c.apiKey, 'listLicenses', { productId });
    assert.equal(listed.body.licenses.length, 0);
    assert.equal((await (await db()).collection('mail').where('productId', '==', productId).get()).size, 0);
    // Another plan of the same product still issues licences.
    const paid = await call('paymentWebhook', { ...body, variant: undefined, purchaseId: uid('order') }, { headers: { 'x-webhook-secret': WEBHOOK_SECRET } });
    assert.equal(paid.body.licenseIssued, true);
    assert.match(paid.body.licenseKey, /\w/);
  });
});

describe('grace after expiry', () => {
  it('keeps an expired licence working with status grace and a warning for graceDays, then expires', async () => {
    const { creator, licenseKey, productId } = await newLicense({ graceDays: 3 }, { expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    const fp = machine();
    const act = await app('activate', { licenseKey, machineFingerprint: fp });
    assert.equal(act.status, 200, act.text);
    const expiredAt = new Date(Date.now() - DAY);
    assert.equal((await asCreator(creator.apiKey, 'updateLicense', { licenseKey, expiresAt: expiredAt.toISOString() })).status, 200);
    const v = await app('verify', { licenseKey });
    assert.equal(v.status, 200, v.text);
    assert.equal(v.body.status, 'grace');
    assert.match(v.body.warning, /grace period/);
    const graceEnd = expiredAt.getTime() + 3 * DAY;
    assert.equal(Date.parse(v.body.graceEndsAt), graceEnd);
    const val = await app('validate', { token: act.body.token, machineFingerprint: fp });
    assert.equal(val.status, 200, val.text);
    assert.equal(val.body.status, 'grace');
    assert.ok(Date.parse(val.body.expiresAt) <= graceEnd, 'the token ends with the grace period');
    assert.ok(Date.parse(val.body.expiresAt) > Date.now() + DAY);
    const again = await app('activate', { licenseKey, machineFingerprint: fp });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.status, 'grace');
    assert.equal((await asCreator(creator.apiKey, 'getLicense', { licenseKey })).body.license.status, 'grace');
    // Past the grace period: expired everywhere.
    await asCreator(creator.apiKey, 'updateLicense', { licenseKey, expiresAt: new Date(Date.now() - 4 * DAY).toISOString() });
    assert.ok(isValidError((await app('verify', { licenseKey })).body, 'expired'));
    assert.ok(isValidError((await app('validate', { token: val.body.token, machineFingerprint: fp })).body, 'expired'));
    assert.ok(isValidError((await app('validate', { licenseKey, machineFingerprint: fp })).body, 'expired'));
    // A plan's graceDays wins over the product's.
    const plan = await asCreator(creator.apiKey, 'createVariant', { productId, name: 'Pro', graceDays: 10 });
    const l = await asCreator(creator.apiKey, 'createLicense', { email: 'b@example.com', productId, variant: plan.body.variantId });
    assert.equal(l.body.license.graceDays, 10);
  });
});

describe('expiry reminders (scheduled)', () => {
  it('emails the buyer reminderDays before expiry, once per expiry date, in its scope only', async () => {
    const c = await newCreator('remind');
    const productId = await newProduct(c);
    const quiet = await newProduct(c, { reminderDays: 0 });
    const make = async (product: string, days: number) =>
      (await asCreator(c.apiKey, 'createLicense', { email: 'buyer@example.com', productId: product, expiresAt: new Date(Date.now() + days * DAY).toISOString() })).body.licenseKey as string;
    const [soon, later, off, revoked, outside] = [await make(productId, 5), await make(productId, 20), await make(quiet, 5), await make(productId, 5), await make(productId, 5)];
    await asCreator(c.apiKey, 'revokeLicense', { licenseKey: revoked });
    const scope = { licenseKeys: [soon, later, off, revoked] };
    assert.equal(await remindExpiries(new Date(), scope), 1);
    assert.equal(await remindExpiries(new Date(), scope), 0, 'once per expiry');
    const [mail] = await mailsOf(soon);
    assert.equal(mail?.kind, 'reminder');
    assert.deepEqual(mail?.to, ['buyer@example.com']);
    assert.match(mail?.message.subject, /expires on/);
    assert.deepEqual(await mailsOf(off), []);
    assert.deepEqual(await mailsOf(revoked), []);
    assert.deepEqual(await mailsOf(outside), []);
    // Two weeks on, instead of waiting: the job takes the time it runs at.
    assert.equal(await remindExpiries(new Date(Date.now() + 14 * DAY), scope), 1);
    assert.equal((await mailsOf(later)).length, 1);
    // A renewed licence expiring again is reminded again.
    await asCreator(c.apiKey, 'updateLicense', { licenseKey: soon, expiresAt: new Date(Date.now() + 6 * DAY).toISOString() });
    assert.equal(await remindExpiries(new Date(), scope), 1);
    assert.equal((await mailsOf(soon)).length, 2);
  });
});
