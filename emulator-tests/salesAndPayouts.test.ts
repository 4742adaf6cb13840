// listSales (the individual sales behind getStats) and payouts (recordPayout, getStats'
// pendingPayoutCents), through HTTP against the emulators.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, uid, WEBHOOK_SECRET, type CreatorFixture } from './helpers.ts';

const pay = (body: Record<string, unknown>) => call('paymentWebhook', body, { headers: { 'x-webhook-secret': WEBHOOK_SECRET } });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const range = { from: day(-1), to: day(1) };

describe('listSales and payouts', () => {
  let c: CreatorFixture;
  let a: string;
  let b: string;
  const keys: Record<string, string> = {};

  before(async () => {
    c = await newCreator('sales');
    a = await newProduct(c);
    b = await newProduct(c);
    for (const [productId, purchaseId, amount, currency] of [
      [a, 'o1', 1000, 'USD'],
      [a, 'o2', 2000, 'EUR'],
      [b, 'o3', 3000, 'USD'],
    ] as const) {
      const r = await pay({ type: 'purchase.completed', email: 'buyer@example.com', productId, purchaseId, amount, currency });
      assert.equal(r.status, 200, r.text);
      keys[purchaseId] = r.body.licenseKey;
    }
    assert.equal((await pay({ type: 'purchase.refunded', productId: a, purchaseId: 'o1' })).status, 200);
  });

  it('lists each sale with order id, gross, fee, net, currency, time and licence, newest first', async () => {
    const r = await asCreator(c.apiKey, 'listSales', range);
    assert.equal(r.status, 200, r.text);
    const sales = r.body.sales;
    assert.deepEqual(sales.map((s: any) => [s.kind, s.orderId, s.grossCents, s.currency]).sort(), [
      ['purchase', 'o1', 1000, 'USD'],
      ['purchase', 'o2', 2000, 'EUR'],
      ['purchase', 'o3', 3000, 'USD'],
      ['refund', 'o1', -1000, 'USD'],
    ].sort());
    for (const s of sales) {
      assert.equal(s.netCents, s.grossCents - s.feeCents);
      assert.equal(s.licenseKey, keys[s.orderId]);
      assert.ok(!Number.isNaN(Date.parse(s.occurredAt)));
    }
    const times = sales.map((s: any) => Date.parse(s.occurredAt));
    assert.deepEqual(times, [...times].sort((x, y) => y - x), 'newest first');
    assert.equal(sales.find((s: any) => s.kind === 'refund').feeCents, 0, 'the fee stays paid on a refund');

    const onlyB = await asCreator(c.apiKey, 'listSales', { ...range, productId: b });
    assert.deepEqual(onlyB.body.sales.map((s: any) => s.orderId), ['o3']);
    const past = await asCreator(c.apiKey, 'listSales', { from: day(-40), to: day(-30) });
    assert.deepEqual(past.body.sales, []);
  });

  it('pages with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const r = await asCreator(c.apiKey, 'listSales', { ...range, limit: 1, ...(cursor ? { cursor } : {}) });
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.sales.length <= 1);
      seen.push(...r.body.sales.map((s: any) => s.id));
      cursor = r.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    assert.equal(seen.length, 4);
    assert.equal(new Set(seen).size, 4);
    assert.equal((await asCreator(c.apiKey, 'listSales', { ...range, cursor: 'garbage' })).status, 400);
  });

  it("keeps each creator's sales to itself", async () => {
    const other = await newCreator('sales');
    assert.deepEqual((await asCreator(other.apiKey, 'listSales', range)).body.sales, []);
    assert.equal((await asCreator(other.apiKey, 'listSales', { ...range, productId: a })).status, 404);
    assert.equal((await asCreator(other.apiKey, 'listSales', { ...range, creatorId: c.creatorId })).status, 404);
    const all = await asAdmin('listSales', { ...range, creatorId: c.creatorId });
    assert.equal(all.body.sales.length, 4);
  });

  it('records payouts once per id, and getStats shows the net not yet paid out per currency', async () => {
    const net = async () => {
      const lines = (await asCreator(c.apiKey, 'listSales', range)).body.sales;
      const sum: Record<string, number> = {};
      for (const s of lines) sum[s.currency] = (sum[s.currency] ?? 0) + s.netCents;
      return sum;
    };
    const owed = await net();
    const stats = async () => (await asCreator(c.apiKey, 'getStats', range)).body.pendingPayoutCents;
    assert.deepEqual(await stats(), owed);

    const payoutId = uid('payout');
    const paid = await asAdmin('recordPayout', { creatorId: c.creatorId, payoutId, amountCents: 500, currency: 'usd', note: 'November' });
    assert.equal(paid.status, 200, paid.text);
    assert.equal(paid.body.created, true);
    assert.equal(paid.body.payout.currency, 'USD');
    const again = await asAdmin('recordPayout', { creatorId: c.creatorId, payoutId, amountCents: 500, currency: 'USD' });
    assert.equal(again.body.created, false, 'the same payout id counts once');
    assert.deepEqual(await stats(), { ...owed, USD: owed.USD! - 500 });
    // The same for a product or a range: what is owed belongs to the creator, not to a range.
    assert.deepEqual((await asCreator(c.apiKey, 'getStats', { from: day(-40), to: day(-30), productId: b })).body.pendingPayoutCents, { ...owed, USD: owed.USD! - 500 });

    const clash = await asAdmin('recordPayout', { creatorId: c.creatorId, payoutId, amountCents: 900, currency: 'USD' });
    assert.equal(clash.status, 409);
    assert.ok(isErrorShape(clash.body, 'conflict'));
    assert.equal((await asCreator(c.apiKey, 'recordPayout', { creatorId: c.creatorId, payoutId: uid('p'), amountCents: 1, currency: 'USD' })).status, 401, 'only the super admin records payouts');
    assert.equal((await asAdmin('recordPayout', { creatorId: uid('nobody'), payoutId: uid('p'), amountCents: 1, currency: 'USD' })).status, 404);
    for (const body of [{ creatorId: c.creatorId, payoutId: 'x', amountCents: 0, currency: 'USD' }, { creatorId: c.creatorId, payoutId: 'x', amountCents: 5, currency: 'dollars' }, { creatorId: c.creatorId, amountCents: 5, currency: 'USD' }]) {
      const r = await asAdmin('recordPayout', body);
      assert.equal(r.status, 400, JSON.stringify(body));
    }
    assert.deepEqual(await stats(), { ...owed, USD: owed.USD! - 500 }, 'refused payouts changed nothing');
  });
});
