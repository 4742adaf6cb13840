// Unit tests for the payment providers' pure parts: what each provider event means (translate),
// how a purchase finds its product, the signature checks on raw bodies, and a won chargeback's
// ledger counts. The emulator tests (emulator-tests/providers.test.ts) cover them end to end.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { SeatkeyError } from '../src/domain/errors.ts';
import { disputeWon, revokeLicense } from '../src/domain/licenseChanges.ts';
import { licenseDraft, type LicenseRecord } from '../src/domain/license.ts';
import { minorUnits, moneyOf, resolveProduct, type PaymentConnection } from '../src/domain/paymentConnection.ts';
import { countsOf } from '../src/domain/sales.ts';
import gumroad from '../src/payments/providers/gumroad.ts';
import lemonSqueezy from '../src/payments/providers/lemonsqueezy.ts';
import paddle from '../src/payments/providers/paddle.ts';
import polar from '../src/payments/providers/polar.ts';
import stripe from '../src/payments/providers/stripe.ts';
import type { Delivery } from '../src/payments/providers/provider.ts';

const connection: PaymentConnection = { id: 'pc_x', creatorId: 'c', provider: 'stripe', name: 'x', products: [], sellerId: 'seller-1', createdAt: new Date(), updatedAt: new Date() };
const delivery = (raw: string, headers: Record<string, string>, secret: string, query: Record<string, string> = {}, now = new Date()): Delivery => ({
  raw: Buffer.from(raw),
  header: (h) => headers[h],
  query: (q) => query[q],
  connection,
  secret,
  now,
});
const unauthorized = (e: unknown) => e instanceof SeatkeyError && e.code === 'unauthorized';

describe('resolveProduct', () => {
  const products = [
    { match: 'price_1', productId: 'app', variant: 'pro' },
    { match: 'prod_1', productId: 'app' },
  ];
  it('takes the first provider id the connection maps, then the checkout metadata', () => {
    assert.deepEqual(resolveProduct(products, { match: [null, 'price_1', 'prod_1'] }), { productId: 'app', variant: 'pro' });
    assert.deepEqual(resolveProduct(products, { match: ['prod_1'] }), { productId: 'app', variant: undefined });
    assert.deepEqual(resolveProduct(products, { match: ['x'], metadata: { seatkey_product: 'other', seatkey_variant: 'v' } }), { productId: 'other', variant: 'v' });
    assert.equal(resolveProduct(products, { match: ['x'], metadata: { seatkey_product: '  ' } }), null);
    assert.equal(resolveProduct([], { match: [] }), null);
  });
  it('reads amounts as minor units, Paddle strings included, and currencies upper case', () => {
    assert.equal(minorUnits('3000'), 3000);
    assert.equal(minorUnits(12), 12);
    for (const bad of ['-1', '1.5', 1.5, -3, null, 'abc']) assert.equal(minorUnits(bad), null, String(bad));
    assert.deepEqual(moneyOf(900, 'eur'), { amount: 900, currency: 'EUR' });
    assert.equal(moneyOf(900, 'euro'), null);
  });
});

describe('stripe', () => {
  const secret = 'whsec_unit';
  const body = JSON.stringify({ id: 'evt_1', type: 'checkout.session.completed', data: { object: { id: 'cs_1', mode: 'payment', payment_status: 'paid', payment_intent: 'pi_1', payment_link: 'plink_1', customer_details: { email: 'a@b.c' }, amount_total: 2900, currency: 'usd', metadata: {} } } });
  it('verifies with the stripe package and refuses a tampered body, a wrong secret and a stale timestamp', async () => {
    const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
    assert.equal(((await stripe.verify(delivery(body, { 'stripe-signature': header }, secret))) as { id: string }).id, 'evt_1');
    await assert.rejects(stripe.verify(delivery(body.replace('2900', '1'), { 'stripe-signature': header }, secret)), unauthorized);
    await assert.rejects(stripe.verify(delivery(body, { 'stripe-signature': header }, 'whsec_other')), unauthorized);
    const stale = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(Date.now() / 1000) - 600 });
    await assert.rejects(stripe.verify(delivery(body, { 'stripe-signature': stale }, secret)), unauthorized);
    await assert.rejects(stripe.verify(delivery(body, {}, secret)), unauthorized);
  });
  it('maps a one-off checkout to a purchase by payment intent, and charge events back to it', () => {
    const t = stripe.translate(JSON.parse(body));
    assert.deepEqual(t.events, [{ kind: 'purchase', purchaseId: 'pi_1', email: 'a@b.c', product: { match: ['plink_1'], metadata: {} }, money: { amount: 2900, currency: 'USD' }, refs: ['pi_1', 'cs_1'] }]);
    const refund = stripe.translate({ type: 'charge.refunded', data: { object: { id: 'ch_1', payment_intent: 'pi_1', currency: 'usd', amount_refunded: 1500 } } });
    assert.deepEqual(refund.events, [{ kind: 'refund', purchaseRefs: ['pi_1', 'ch_1'], refundId: null, money: { amount: 1500, currency: 'USD' }, totalRefunded: true }]);
    const closed = stripe.translate({ type: 'charge.dispute.closed', data: { object: { id: 'dp_1', charge: 'ch_1', payment_intent: 'pi_1', status: 'lost' } } });
    assert.deepEqual(closed.events, [], 'a lost dispute changes nothing more');
  });
  it("leaves a subscription's purchase to its first invoice unless the session names the product", () => {
    const session = (extra: Record<string, unknown>) => stripe.translate({ type: 'checkout.session.completed', data: { object: { id: 'cs_2', mode: 'subscription', payment_status: 'paid', subscription: 'sub_2', metadata: {}, ...extra } } }).events;
    assert.deepEqual(session({}), []);
    assert.equal((session({ metadata: { seatkey_product: 'app' } })[0] as unknown as { purchaseId: string }).purchaseId, 'sub_2');
  });
  it('tells a subscription that ended early from one that ran out', () => {
    const deleted = (ended: number) => stripe.translate({ type: 'customer.subscription.deleted', data: { object: { id: 'sub_1', ended_at: ended, items: { data: [{ current_period_end: 2_000_000 }] } } } }).events[0]?.kind;
    assert.equal(deleted(1_000_000), 'end');
    assert.equal(deleted(2_000_000), 'cancel');
  });
  it('reads invoice lines in both API shapes', () => {
    const newer = stripe.translate({ type: 'invoice.paid', data: { object: { id: 'in_1', billing_reason: 'subscription_create', parent: { subscription_details: { subscription: 'sub_1' } }, amount_paid: 900, currency: 'eur', customer_email: 'a@b.c', lines: { data: [{ pricing: { price_details: { price: 'price_9', product: 'prod_9' } } }] } } } });
    assert.deepEqual((newer.events[0] as unknown as { product: { match: string[] } }).product.match, ['price_9', 'prod_9']);
    assert.equal((newer.events[0] as unknown as { purchaseId: string }).purchaseId, 'sub_1');
  });
});

describe('paddle', () => {
  const key = 'pdl_ntfset_unit';
  const body = '{"event_type":"customer.created","data":{"id":"ctm_1","email":"a@b.c"}}';
  const sign = (ts: number, raw = body, k = key) => `ts=${ts};h1=${createHmac('sha256', k).update(`${ts}:${raw}`).digest('hex')}`;
  it('accepts any h1 of the header within five minutes, and nothing else', async () => {
    const now = new Date();
    const ts = Math.floor(now.getTime() / 1000);
    assert.ok(await paddle.verify(delivery(body, { 'paddle-signature': sign(ts - 120) }, key, {}, now)), 'two minutes late: within the window');
    assert.ok(await paddle.verify(delivery(body, { 'paddle-signature': `${sign(ts)};h1=${'0'.repeat(64)}` }, key, {}, now)), 'rotation: two h1');
    for (const header of [sign(ts - 301), sign(ts, body, 'other'), sign(ts, '{}'), `ts=${ts}`, 'h1=abc', '']) {
      await assert.rejects(paddle.verify(delivery(body, { 'paddle-signature': header }, key, {}, now)), unauthorized, header);
    }
  });
  it('holds a purchase on its customer; a recurring transaction renews', () => {
    const txn = (origin: string) => paddle.translate({ event_type: 'transaction.completed', data: { id: 'txn_1', origin, customer_id: 'ctm_1', subscription_id: 'sub_1', currency_code: 'USD', items: [{ price: { id: 'pri_1', product_id: 'pro_1' } }], details: { totals: { grand_total: '3000' } } } }).events[0];
    assert.deepEqual(txn('web'), { kind: 'purchase', purchaseId: 'sub_1', email: null, customerId: 'ctm_1', product: { match: ['pri_1', 'pro_1'], metadata: {} }, money: { amount: 3000, currency: 'USD' }, refs: ['txn_1'] });
    assert.deepEqual(txn('subscription_recurring'), { kind: 'renewal', purchaseRefs: ['sub_1'], renewalId: 'txn_1', money: { amount: 3000, currency: 'USD' }, refs: ['txn_1'] });
    assert.deepEqual(paddle.translate(JSON.parse(body)).events, [{ kind: 'customer', customerId: 'ctm_1', email: 'a@b.c' }]);
  });
});

describe('lemon squeezy, gumroad, polar', () => {
  it('lemon squeezy: X-Signature is the hex HMAC of the raw body', async () => {
    const body = '{"meta":{"event_name":"order_created"},"data":{"id":"1","attributes":{}}}';
    const sig = createHmac('sha256', 'ls').update(body).digest('hex');
    assert.ok(await lemonSqueezy.verify(delivery(body, { 'x-signature': sig }, 'ls')));
    await assert.rejects(lemonSqueezy.verify(delivery(`${body} `, { 'x-signature': sig }, 'ls')), unauthorized);
    await assert.rejects(lemonSqueezy.verify(delivery(body, { 'x-signature': 'zz' }, 'ls')), unauthorized);
    assert.deepEqual(lemonSqueezy.translate({ meta: { event_name: 'subscription_expired' }, data: { id: '9', attributes: { order_id: 5 } } }).events, [{ kind: 'end', purchaseRefs: ['9', '5'] }]);
  });
  it("gumroad: the URL's token and the connection's seller id", async () => {
    const body = 'sale_id=s1&seller_id=seller-1&product_id=p1&email=a%40b.c&price=100&currency=usd';
    const fields = (await gumroad.verify(delivery(body, {}, 'tok', { token: 'tok' }))) as Record<string, string>;
    assert.equal(fields.email, 'a@b.c');
    await assert.rejects(gumroad.verify(delivery(body, {}, 'tok', { token: 'tok2' })), unauthorized);
    await assert.rejects(gumroad.verify(delivery(body, {}, 'tok')), unauthorized);
    await assert.rejects(gumroad.verify(delivery(body.replace('seller-1', 'seller-2'), {}, 'tok', { token: 'tok' })), unauthorized);
    const won = gumroad.translate({ sale_id: 's1', disputed: 'true', dispute_won: 'true' });
    assert.deepEqual(won.events, [{ kind: 'disputeWon', purchaseRefs: ['s1'], disputeId: 's1' }]);
    const params = gumroad.translate({ sale_id: 's2', email: 'a@b.c', price: '100', currency: 'usd', 'url_params[seatkey_product]': 'app' });
    assert.deepEqual((params.events[0] as unknown as { product: unknown }).product, { match: [], metadata: { seatkey_product: 'app' } });
  });
  it('polar: Standard Webhooks over the secret as UTF-8', async () => {
    const body = '{"type":"subscription.revoked","data":{"id":"s1"}}';
    const at = new Date();
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(Buffer.from('polar_whs_x').toString('base64')).sign('msg_1', at, body) };
    assert.deepEqual(polar.translate(await polar.verify(delivery(body, headers, 'polar_whs_x'))).events, [{ kind: 'end', purchaseRefs: ['s1'] }]);
    await assert.rejects(polar.verify(delivery(body, headers, 'polar_whs_y')), unauthorized);
    await assert.rejects(polar.verify(delivery(body, { ...headers, 'webhook-id': 'msg_2' }, 'polar_whs_x')), unauthorized);
  });
});

describe('a won chargeback', () => {
  it('reinstates the licence and takes its money out of the refunds', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const base = { ...licenseDraft({ creatorId: 'c', productId: 'p', email: 'a@b.c' } as never, now), licenseKey: 'K' } as LicenseRecord;
    const back = disputeWon(revokeLicense(base, 'chargeback', now), now);
    assert.deepEqual([back.revoked, back.revokeReason, back.disputeReason, back.revokedAt], [false, null, null, null]);
    assert.deepEqual(countsOf({ kind: 'chargeback_won', amountCents: 700, feeCents: 0 }), { refunds: -1, refundedCents: -700 });
  });
});
