// getStats: exact totals after a scripted sequence of purchases, refunds, disputes and renewals
// in two currencies, per product and per currency, scope, and bad input.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, machine } from './clientHelpers.ts';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, uid, WEBHOOK_SECRET, type CreatorFixture } from './helpers.ts';

const pay = (body: Record<string, unknown>) => call('paymentWebhook', body, { headers: { 'x-webhook-secret': WEBHOOK_SECRET } });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Activates `machines` machines on the licence, as apps would. */
async function holdSeats(licenseKey: string, productId: string, machines: number) {
  const activate = client();
  for (let i = 0; i < machines; i++) {
    const r = await activate('activate', { licenseKey, machineFingerprint: machine(), productId });
    assert.equal(r.status, 200, r.text);
  }
}

describe('getStats', () => {
  let c: CreatorFixture;
  let a: string;
  let b: string;

  before(async () => {
    c = await newCreator('stats');
    a = await newProduct(c, { maxMachines: 3 });
    b = await newProduct(c);
    const buy = async (productId: string, purchaseId: string, amount: number, currency: string, extra: Record<string, unknown> = {}) => {
      const r = await pay({ type: 'purchase.completed', email: 'x@y.co', productId, purchaseId, amount, currency, ...extra });
      assert.equal(r.status, 200, r.text);
      return r.body.licenseKey as string;
    };
    const p1 = await buy(a, 'p1', 1000, 'USD');
    await holdSeats(p1, a, 3); // then revoked by its refund: its seats are not active
    await buy(a, 'p2', 2000, 'EUR', { durationDays: 30 });
    await buy(b, 'p3', 3000, 'USD');
    const p4 = await buy(a, 'p4', 999, 'USD');
    await buy(a, 'p1', 1000, 'USD'); // a repeated delivery
    for (const body of [
      { type: 'purchase.refunded', productId: a, purchaseId: 'p1' },
      { type: 'purchase.refunded', productId: a, purchaseId: 'p1' },
      { type: 'subscription.renewed', productId: a, purchaseId: 'p2', durationDays: 30, renewalId: 'inv-1', amount: 500, currency: 'EUR' },
      { type: 'subscription.renewed', productId: a, purchaseId: 'p2', durationDays: 30, renewalId: 'inv-1', amount: 500, currency: 'EUR' },
      { type: 'purchase.disputed', productId: b, purchaseId: 'p3', amount: 1200, currency: 'USD' },
      { type: 'subscription.cancelled', productId: a, purchaseId: 'p2' },
    ]) {
      const r = await pay(body);
      assert.equal(r.status, 200, r.text);
    }
    const manual = await asCreator(c.apiKey, 'createLicense', { email: 'm@y.co', productId: a });
    assert.equal(manual.status, 200);
    await holdSeats(p4, a, 2);
  });

  it('adds up sales exactly, per currency and per product', async () => {
    const r = await asCreator(c.apiKey, 'getStats', { from: day(-1), to: day(1) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.platformFeePercent, 0, 'PLATFORM_FEE_PERCENT defaults to 0');
    assert.deepEqual(r.body.byCurrency, {
      EUR: { unitsSold: 1, renewals: 1, refunds: 0, grossCents: 2500, refundedCents: 0, platformFeeCents: 0, netCents: 2500 },
      USD: { unitsSold: 3, renewals: 0, refunds: 2, grossCents: 4999, refundedCents: 2200, platformFeeCents: 0, netCents: 2799 },
    });
    assert.deepEqual(r.body.totals, {
      unitsSold: 4, renewals: 1, refunds: 2, grossCents: 7499, refundedCents: 2200, platformFeeCents: 0, netCents: 5299, licensesIssued: 5, activeMachines: 2,
    });
    assert.equal(r.body.currency, null, 'two currencies: use byCurrency');
    const byProduct = Object.fromEntries(r.body.byProduct.map((p: any) => [p.productId, p]));
    assert.deepEqual(Object.keys(byProduct).sort(), [a, b].sort());
    assert.equal(byProduct[a].licensesIssued, 4);
    assert.deepEqual(byProduct[a].byCurrency.USD, { unitsSold: 2, renewals: 0, refunds: 1, grossCents: 1999, refundedCents: 1000, platformFeeCents: 0, netCents: 999 });
    assert.deepEqual([byProduct[b].currency, byProduct[b].unitsSold, byProduct[b].refundedCents, byProduct[b].platformFeeCents, byProduct[b].licensesIssued], ['USD', 1, 1200, 0, 1]);
    // netCents = gross - refunds - platform fee, which with the default fee is gross - refunds.
    for (const m of [r.body.totals, ...Object.values(r.body.byCurrency), ...r.body.byProduct] as any[]) {
      assert.equal(m.netCents, m.grossCents - m.refundedCents - m.platformFeeCents);
      assert.ok(m.platformFeeCents >= 0);
    }
  });

  it('gives the same totals over a year, a calendar year and a single product', async () => {
    const week = (await asCreator(c.apiKey, 'getStats', { from: day(-1), to: day(1) })).body;
    const year = await asCreator(c.apiKey, 'getStats', { from: day(-364), to: day(0) });
    assert.equal(year.status, 200, year.text);
    const thisYear = new Date().getUTCFullYear();
    const calendar = await asCreator(c.apiKey, 'getStats', { from: `${thisYear}-01-01`, to: `${thisYear}-12-31` });
    for (const r of [year.body, calendar.body]) {
      assert.deepEqual(r.byCurrency, week.byCurrency);
      assert.deepEqual(r.totals, week.totals);
    }
    const onlyB = await asCreator(c.apiKey, 'getStats', { from: day(-1), to: day(1), productId: b });
    assert.equal(onlyB.body.currency, 'USD');
    assert.deepEqual(onlyB.body.totals, { unitsSold: 1, renewals: 0, refunds: 1, grossCents: 3000, refundedCents: 1200, platformFeeCents: 0, netCents: 1800, licensesIssued: 1, activeMachines: 0 });
    const get = await call('getStats', undefined, { method: 'GET', query: { apiKey: c.apiKey, from: day(-1), to: day(1), productId: a } });
    assert.equal(get.status, 200);
    assert.equal(get.body.totals.unitsSold, 3);
    const past = await asCreator(c.apiKey, 'getStats', { from: '2020-01-01', to: '2020-12-31' });
    assert.deepEqual([past.body.totals.unitsSold, past.body.totals.grossCents, past.body.byProduct.length], [0, 0, 0]);
  });

  it("shows a creator only its own sales; the super admin any creator's", async () => {
    const other = await newCreator('stats-other');
    const mine = await asCreator(other.apiKey, 'getStats', { from: day(-1), to: day(1) });
    assert.deepEqual([mine.body.totals.unitsSold, mine.body.totals.licensesIssued, mine.body.byProduct.length], [0, 0, 0]);
    assert.equal((await asCreator(other.apiKey, 'getStats', { from: day(-1), to: day(1), productId: a })).status, 404);
    assert.equal((await asCreator(other.apiKey, 'getStats', { from: day(-1), to: day(1), creatorId: c.creatorId })).status, 404);
    const admin = await asAdmin('getStats', { from: day(-1), to: day(1), creatorId: c.creatorId });
    assert.equal(admin.body.totals.grossCents, 7499);
    const all = await asAdmin('getStats', { from: day(-1), to: day(1) });
    assert.ok(all.body.totals.licensesIssued >= 5);
    assert.equal((await asAdmin('getStats', { from: day(-1), to: day(1), creatorId: other.creatorId, productId: a })).status, 404);
  });

  it('refuses bad input with 400', async () => {
    for (const body of [{}, { from: day(0) }, { from: 'yesterday', to: day(0) }, { from: day(1), to: day(0) }, { from: '2000-01-01', to: '2030-12-31' }, { from: day(0), to: day(0), productId: 'Not A Slug' }]) {
      const r = await asCreator(c.apiKey, 'getStats', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(isErrorShape(r.body, 'invalid_request'));
    }
    assert.equal((await call('getStats', { from: day(0), to: day(0) })).status, 401);
    assert.equal((await asCreator(c.apiKey, 'getStats', { from: day(0), to: day(0), productId: uid('none') })).status, 404);
  });
});
