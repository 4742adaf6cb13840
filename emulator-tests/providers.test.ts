// Native payment providers (issue 10): payment connections, and each provider's webhook at
// `<base>/<name>/<connectionId>` with fixtures shaped like the provider's documented payloads,
// signed with the provider's own library or documented scheme. Purchase → licence, email and
// sale; duplicate and concurrent deliveries → one licence; refunds, disputes (won: active again),
// renewals, cancellations and immediate ends; a tampered body, a wrong secret or a stale
// timestamp → 401 with nothing stored (read from Firestore).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { db } from '../functions/src/store/firestore.ts';
import { asCreator, isErrorShape, newCreator, newProduct, uid, type CreatorFixture } from './helpers.ts';
import { connect, deliver, eventsOf, fixture, licenseOf, stored } from './providerHelpers.ts';

const today = () => new Date().toISOString().slice(0, 10);
const secret = (prefix: string) => `${prefix}${randomBytes(24).toString('hex')}`;
const mailTo = async (licenseKey: string) => (await (await db()).collection('mail').doc(licenseKey).get()).data()?.to;

async function shop(productFields: Record<string, unknown> = {}) {
  const c = await newCreator('prov');
  return { c, productId: await newProduct(c, productFields) };
}

async function stats(c: CreatorFixture, productId: string) {
  const r = await asCreator(c.apiKey, 'getStats', { from: today(), to: today(), productId });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

/** Asserts nothing at all was stored for the purchase. */
async function nothingStored(c: CreatorFixture, purchaseId: string) {
  const s = await stored(c.creatorId, purchaseId);
  assert.deepEqual([s.licenses.length, s.purchases.length, s.sales.length, s.pending.length], [0, 0, 0, 0], 'nothing stored');
}

describe('payment connections', () => {
  it('creates, lists, updates and deletes a connection; the secret is never returned', async () => {
    const { c, productId } = await shop();
    const signingSecret = secret('whsec_');
    const made = await asCreator(c.apiKey, 'createPaymentConnection', { provider: 'stripe', name: 'Main Stripe', signingSecret, products: [{ match: 'price_123', productId }] });
    assert.equal(made.status, 200, made.text);
    assert.match(made.body.connection.id, /^pc_[\w-]{20,}$/);
    assert.match(made.body.webhookUrl, new RegExp(`/stripeWebhook/${made.body.connection.id}$`));
    assert.deepEqual(made.body.connection.products, [{ match: 'price_123', productId }]);
    assert.ok(!made.text.includes(signingSecret), 'the signing secret is write-only');
    const listed = await asCreator(c.apiKey, 'listPaymentConnections', {});
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(listed.body.connections.map((x: any) => x.id), [made.body.connection.id]);
    assert.ok(!listed.text.includes(signingSecret));
    const renamed = await asCreator(c.apiKey, 'updatePaymentConnection', { id: made.body.connection.id, name: 'Renamed', signingSecret: secret('whsec_') });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.connection.name, 'Renamed');
    const gone = await asCreator(c.apiKey, 'deletePaymentConnection', { id: made.body.connection.id });
    assert.equal(gone.status, 200, gone.text);
    assert.equal((await asCreator(c.apiKey, 'listPaymentConnections', {})).body.connections.length, 0);
    const delivered = await deliver(made.body.webhookUrl, '{}', { 'stripe-signature': 't=1,v1=00' });
    assert.equal(delivered.status, 404, 'a deleted connection takes nothing');
  });

  it("refuses another creator's product or variant (404) and a missing secret (400)", async () => {
    const { c } = await shop();
    const other = await shop();
    const foreign = await asCreator(c.apiKey, 'createPaymentConnection', { provider: 'paddle', signingSecret: secret('pdl_'), products: [{ match: 'pri_1', productId: other.productId }] });
    assert.equal(foreign.status, 404, foreign.text);
    assert.ok(isErrorShape(foreign.body, 'not_found'));
    const mine = await newProduct(c);
    const noVariant = await asCreator(c.apiKey, 'createPaymentConnection', { provider: 'paddle', signingSecret: secret('pdl_'), products: [{ match: 'pri_1', productId: mine, variant: 'nope' }] });
    assert.equal(noVariant.status, 404, noVariant.text);
    const noSecret = await asCreator(c.apiKey, 'createPaymentConnection', { provider: 'polar', products: [] });
    assert.equal(noSecret.status, 400, noSecret.text);
    const made = await connect(c, { provider: 'polar', signingSecret: secret('polar_whs_'), products: [] });
    const stolen = await asCreator(other.c.apiKey, 'updatePaymentConnection', { id: made.id, name: 'mine now' });
    assert.equal(stolen.status, 404, "another creator's connection is not found");
    const remap = await asCreator(c.apiKey, 'updatePaymentConnection', { id: made.id, products: [{ match: 'x', productId: other.productId }] });
    assert.equal(remap.status, 404, remap.text);
    assert.equal((await asCreator(other.c.apiKey, 'deletePaymentConnection', { id: made.id })).status, 404);
  });
});

describe('stripeWebhook', () => {
  const sign = (payload: string, whsec: string, timestamp?: number) => ({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: whsec, ...(timestamp ? { timestamp } : {}) }) });

  it('a purchase: one licence, one email, one sale, however often and concurrently delivered; refund and dispute', async () => {
    const { c, productId } = await shop({ maxMachines: 3 });
    const whsec = secret('whsec_');
    const link = `plink_${uid('l')}`;
    const conn = await connect(c, { provider: 'stripe', signingSecret: whsec, products: [{ match: link, productId }] });
    const id = uid('p');
    const body = fixture('stripe/checkout.session.completed.json', { SESSION: id, CUSTOMER: id, EMAIL: 'buyer@example.com', PURCHASE: id, PAYMENT_LINK: link });
    const replies = await Promise.all(Array.from({ length: 6 }, () => deliver(conn.url, body, sign(body, whsec))));
    for (const r of replies) assert.equal(r.status, 200, r.text);
    const keys = new Set(replies.map((r) => r.body.results[0].licenseKey));
    assert.equal(keys.size, 1, 'one licence');
    assert.equal(replies.filter((r) => r.body.results[0].created).length, 1);
    const s = await stored(c.creatorId, `pi_${id}`);
    assert.equal(s.licenses.length, 1);
    assert.equal(s.sales.length, 1);
    assert.deepEqual([s.sales[0]!.amountCents, s.sales[0]!.currency], [2900, 'USD']);
    const [licenseKey] = keys as Set<string>;
    assert.deepEqual(await mailTo(licenseKey!), ['buyer@example.com']);
    assert.equal((await licenseOf(c, licenseKey!)).maxMachines, 3);

    const refund = fixture('stripe/charge.refunded.json', { PURCHASE: id, REFUND: id });
    for (let i = 0; i < 2; i++) assert.equal((await deliver(conn.url, refund, sign(refund, whsec))).status, 200);
    const refunded = await licenseOf(c, licenseKey!);
    assert.equal(refunded.status, 'revoked');
    assert.equal(refunded.disputeReason, 'refund');
    const st = await stats(c, productId);
    assert.deepEqual([st.totals.unitsSold, st.totals.refunds, st.totals.refundedCents], [1, 1, 1000], 'a partial refund of 10.00, once');

    const dispute = (action: string, status: string) => fixture('stripe/charge.dispute.created.json', { DISPUTE: id, PURCHASE: id, ACTION: action, STATUS: status });
    const opened = dispute('created', 'needs_response');
    assert.equal((await deliver(conn.url, opened, sign(opened, whsec))).status, 200);
    assert.equal((await licenseOf(c, licenseKey!)).disputeReason, 'chargeback');
    const won = dispute('closed', 'won');
    const r = await deliver(conn.url, won, sign(won, whsec));
    assert.equal(r.status, 200, r.text);
    const after = await licenseOf(c, licenseKey!);
    assert.equal(after.status, 'active', 'a won dispute reinstates the licence');
    assert.equal(after.disputeReason, null);
    assert.equal((await deliver(conn.url, won, sign(won, whsec))).status, 200);
    const settled = await stats(c, productId);
    assert.deepEqual([settled.totals.refunds, settled.totals.refundedCents], [1, 1000], 'the chargeback (cut to the 19.00 left) came back, once');
  });

  it('a subscription: first invoice matched by price, a renewal moves the expiry, cancellation runs to expiry', async () => {
    const { c, productId } = await shop({ durationDays: 30 });
    const whsec = secret('whsec_');
    const price = `price_${uid('m')}`;
    const conn = await connect(c, { provider: 'stripe', signingSecret: whsec, products: [{ match: price, productId }] });
    const id = uid('s');
    const invoice = (n: string, reason: string) => fixture('stripe/invoice.paid.json', { INVOICE: n, BILLING_REASON: reason, CUSTOMER: id, EMAIL: 'sub@example.com', PRICE: price, PURCHASE: id });
    const first = invoice(`${id}a`, 'subscription_create');
    const made = await deliver(conn.url, first, sign(first, whsec));
    assert.equal(made.status, 200, made.text);
    const licenseKey = made.body.results[0].licenseKey;
    const before = Date.parse((await licenseOf(c, licenseKey)).expiresAt);
    const renewal = invoice(`${id}b`, 'subscription_cycle');
    for (let i = 0; i < 2; i++) assert.equal((await deliver(conn.url, renewal, sign(renewal, whsec))).status, 200);
    const after = Date.parse((await licenseOf(c, licenseKey)).expiresAt);
    assert.ok(Math.abs(after - before - 30 * 86_400_000) < 5_000, 'moved by one period, once');
    const sales = (await stored(c.creatorId, `sub_${id}`)).sales;
    assert.deepEqual(sales.map((s) => `${s.kind}:${s.amountCents}:${s.currency}`).sort(), ['purchase:900:EUR', 'renewal:900:EUR']);
    const cancel = fixture('stripe/customer.subscription.updated.json', { PURCHASE: id });
    assert.equal((await deliver(conn.url, cancel, sign(cancel, whsec))).status, 200);
    const l = await licenseOf(c, licenseKey);
    assert.equal(l.status, 'active', 'runs to its expiry');
    assert.equal(Date.parse(l.expiresAt), after);
  });

  it('a refund that arrives before its purchase waits for it, then revokes the licence', async () => {
    const { c, productId } = await shop();
    const whsec = secret('whsec_');
    const link = `plink_${uid('l')}`;
    const conn = await connect(c, { provider: 'stripe', signingSecret: whsec, products: [{ match: link, productId }] });
    const id = uid('p');
    const refund = fixture('stripe/charge.refunded.json', { PURCHASE: id, REFUND: id });
    const early = await deliver(conn.url, refund, sign(refund, whsec));
    assert.equal(early.status, 200, early.text);
    assert.equal(early.body.results[0].pending, true);
    const body = fixture('stripe/checkout.session.completed.json', { SESSION: id, CUSTOMER: id, EMAIL: 'late@example.com', PURCHASE: id, PAYMENT_LINK: link });
    const made = await deliver(conn.url, body, sign(body, whsec));
    assert.equal(made.status, 200, made.text);
    const l = await licenseOf(c, made.body.results[0].licenseKey);
    assert.equal(l.status, 'revoked');
    assert.equal(l.disputeReason, 'refund');
    const s = await stored(c.creatorId, `pi_${id}`);
    assert.deepEqual(s.sales.map((x) => [x.kind, x.amountCents, x.productId]).sort(), [['purchase', 2900, productId], ['refund', 1000, productId]], 'the refund is booked on the purchase\'s product');
    assert.equal(s.pending.length, 0);
  });

  it('a tampered body, a wrong secret and a stale timestamp are 401 and store nothing', async () => {
    const { c, productId } = await shop();
    const whsec = secret('whsec_');
    const link = `plink_${uid('l')}`;
    const conn = await connect(c, { provider: 'stripe', signingSecret: whsec, products: [{ match: link, productId }] });
    const id = uid('p');
    const body = fixture('stripe/checkout.session.completed.json', { SESSION: id, CUSTOMER: id, EMAIL: 'x@example.com', PURCHASE: id, PAYMENT_LINK: link });
    const tampered = await deliver(conn.url, body.replace('2900', '1'), sign(body, whsec));
    const wrong = await deliver(conn.url, body, sign(body, secret('whsec_')));
    const stale = await deliver(conn.url, body, sign(body, whsec, Math.floor(Date.now() / 1000) - 3600));
    const missing = await deliver(conn.url, body, {});
    for (const r of [tampered, wrong, stale, missing]) {
      assert.equal(r.status, 401, r.text);
      assert.ok(isErrorShape(r.body, 'unauthorized'));
    }
    await nothingStored(c, `pi_${id}`);
  });

  it('an unmapped product is 200 and recorded once as unmatched in the event log', async () => {
    const { c } = await shop();
    const whsec = secret('whsec_');
    const conn = await connect(c, { provider: 'stripe', signingSecret: whsec, products: [] });
    const id = uid('p');
    const body = fixture('stripe/checkout.session.completed.json', { SESSION: id, CUSTOMER: id, EMAIL: 'x@example.com', PURCHASE: id, PAYMENT_LINK: 'plink_unknown' });
    for (let i = 0; i < 2; i++) {
      const r = await deliver(conn.url, body, sign(body, whsec));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.results[0].unmatched, true);
    }
    const events = await eventsOf(c, 'payment.unmatched');
    assert.equal(events.length, 1);
    assert.equal(events[0].data.purchaseId, `pi_${id}`);
    assert.deepEqual(events[0].data.match, ['plink_unknown']);
    await nothingStored(c, `pi_${id}`);
  });

  it("checkout metadata names the product; another creator's product counts as unmapped", async () => {
    const { c, productId } = await shop();
    const other = await shop();
    const whsec = secret('whsec_');
    const conn = await connect(c, { provider: 'stripe', signingSecret: whsec, products: [] });
    const withMeta = (id: string, product: string) =>
      fixture('stripe/checkout.session.completed.json', { SESSION: id, CUSTOMER: id, EMAIL: 'm@example.com', PURCHASE: id, PAYMENT_LINK: 'plink_none' }).replace('"metadata": {}', `"metadata": {"seatkey_product": "${product}"}`);
    const mine = uid('p');
    const ok = await deliver(conn.url, withMeta(mine, productId), sign(withMeta(mine, productId), whsec));
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await licenseOf(c, ok.body.results[0].licenseKey)).productId, productId);
    const theirs = uid('p');
    const no = await deliver(conn.url, withMeta(theirs, other.productId), sign(withMeta(theirs, other.productId), whsec));
    assert.equal(no.status, 200, no.text);
    assert.equal(no.body.results[0].unmatched, true);
    assert.equal((await stored(other.c.creatorId, `pi_${theirs}`)).licenses.length, 0);
  });
});

describe('paddleWebhook', () => {
  const sign = (body: string, key: string, ts = Math.floor(Date.now() / 1000)) => ({ 'paddle-signature': `ts=${ts};h1=${createHmac('sha256', key).update(`${ts}:${body}`).digest('hex')}` });

  it('holds a purchase until the customer email arrives, then issues once; renewal, refund, chargeback and its reversal', async () => {
    const { c, productId } = await shop({ durationDays: 30 });
    const key = secret('pdl_ntfset_');
    const price = `pri_${uid('m')}`;
    const conn = await connect(c, { provider: 'paddle', signingSecret: key, products: [{ match: price, productId }] });
    const id = uid('s');
    const txn = (n: string, origin: string) => fixture('paddle/transaction.completed.json', { TXN: n, CUSTOMER: id, ORIGIN: origin, PURCHASE: id, PRICE: price });
    const first = txn(`${id}a`, 'web');
    const held = await deliver(conn.url, first, sign(first, key));
    assert.equal(held.status, 200, held.text);
    assert.equal(held.body.results[0].pending, true);
    assert.equal((await stored(c.creatorId, `sub_${id}`)).licenses.length, 0, 'no licence without an email');
    const customer = fixture('paddle/customer.created.json', { CUSTOMER: id, EMAIL: 'paddle@example.com' });
    const released = await Promise.all([deliver(conn.url, customer, sign(customer, key)), deliver(conn.url, customer, sign(customer, key)), deliver(conn.url, first, sign(first, key))]);
    for (const r of released) assert.equal(r.status, 200, r.text);
    const s = await stored(c.creatorId, `sub_${id}`);
    assert.equal(s.licenses.length, 1, 'one licence');
    const licenseKey = s.licenses[0]!.licenseKey as string;
    assert.deepEqual(await mailTo(licenseKey), ['paddle@example.com']);
    assert.deepEqual(s.sales.map((x) => [x.kind, x.amountCents, x.currency]), [['purchase', 3000, 'USD']]);

    const before = Date.parse((await licenseOf(c, licenseKey)).expiresAt);
    const renewal = txn(`${id}b`, 'subscription_recurring');
    assert.equal((await deliver(conn.url, renewal, sign(renewal, key))).status, 200);
    assert.ok(Date.parse((await licenseOf(c, licenseKey)).expiresAt) - before > 29 * 86_400_000, 'renewed');

    const adjustment = (adj: string, stage: string, action: string, status: string) => fixture('paddle/adjustment.updated.json', { ADJ: adj, STAGE: stage, ACTION: action, STATUS: status, TXN: `${id}a`, PURCHASE: id, CUSTOMER: id });
    const pendingRefund = adjustment(`${id}r`, 'created', 'refund', 'pending_approval');
    assert.equal((await deliver(conn.url, pendingRefund, sign(pendingRefund, key))).status, 200);
    assert.equal((await licenseOf(c, licenseKey)).status, 'active', 'a refund awaiting approval changes nothing');
    const refund = adjustment(`${id}r`, 'updated', 'refund', 'approved');
    assert.equal((await deliver(conn.url, refund, sign(refund, key))).status, 200);
    assert.equal((await licenseOf(c, licenseKey)).disputeReason, 'refund');
    const st = await stats(c, productId);
    assert.deepEqual([st.totals.refunds, st.totals.refundedCents], [1, 1000]);
    const chargeback = adjustment(`${id}c`, 'created', 'chargeback', 'approved');
    assert.equal((await deliver(conn.url, chargeback, sign(chargeback, key))).status, 200);
    assert.equal((await licenseOf(c, licenseKey)).disputeReason, 'chargeback');
    const reverse = adjustment(`${id}w`, 'created', 'chargeback_reverse', 'approved');
    assert.equal((await deliver(conn.url, reverse, sign(reverse, key))).status, 200);
    assert.equal((await licenseOf(c, licenseKey)).status, 'active', 'chargeback reversed: active again');
    const settled = await stats(c, productId);
    assert.deepEqual([settled.totals.refunds, settled.totals.refundedCents], [1, 1000], 'the chargeback money is back');
  });

  it('a tampered body, a wrong secret and a stale timestamp are 401 and store nothing', async () => {
    const { c, productId } = await shop();
    const key = secret('pdl_ntfset_');
    const conn = await connect(c, { provider: 'paddle', signingSecret: key, products: [{ match: 'pri_x', productId }] });
    const id = uid('s');
    const customer = fixture('paddle/customer.created.json', { CUSTOMER: id, EMAIL: 'p@example.com' });
    const body = fixture('paddle/transaction.completed.json', { TXN: id, CUSTOMER: id, ORIGIN: 'web', PURCHASE: id, PRICE: 'pri_x' });
    const replies = [
      await deliver(conn.url, customer.replace('p@example.com', 'evil@example.com'), sign(customer, key)),
      await deliver(conn.url, body, sign(body, secret('pdl_ntfset_'))),
      await deliver(conn.url, body, sign(body, key, Math.floor(Date.now() / 1000) - 3600)),
      await deliver(conn.url, body, {}),
    ];
    for (const r of replies) assert.equal(r.status, 401, r.text);
    await nothingStored(c, `sub_${id}`);
    assert.equal((await (await db()).collection('providerCustomers').where('connectionId', '==', conn.id).get()).size, 0, 'no customer learnt, no purchase held');
  });
});

describe('lemonSqueezyWebhook', () => {
  const sign = (body: string, key: string) => ({ 'x-signature': createHmac('sha256', key).update(body).digest('hex') });

  it('order → licence once; subscription renewal; refund; subscription_expired revokes now', async () => {
    const { c, productId } = await shop({ durationDays: 30 });
    const key = secret('ls_');
    const variant = String(Math.floor(Math.random() * 1e9));
    const conn = await connect(c, { provider: 'lemonsqueezy', signingSecret: key, products: [{ match: variant, productId }] });
    const order = String(Math.floor(Math.random() * 1e9));
    const sub = String(Math.floor(Math.random() * 1e9));
    const body = fixture('lemonsqueezy/order_created.json', { ORDER: order, EMAIL: 'ls@example.com', VARIANT: variant });
    const replies = await Promise.all(Array.from({ length: 4 }, () => deliver(conn.url, body, sign(body, key))));
    for (const r of replies) assert.equal(r.status, 200, r.text);
    const s = await stored(c.creatorId, order);
    assert.equal(s.licenses.length, 1);
    const licenseKey = s.licenses[0]!.licenseKey as string;
    assert.deepEqual(await mailTo(licenseKey), ['ls@example.com']);
    assert.deepEqual(s.sales.map((x) => [x.kind, x.amountCents, x.currency]), [['purchase', 1999, 'USD']]);

    const subEvent = (event: string, status: string) => fixture('lemonsqueezy/subscription.json', { EVENT: event, SUBSCRIPTION: sub, ORDER: order, VARIANT: variant, EMAIL: 'ls@example.com', STATUS: status });
    const created = subEvent('subscription_created', 'active');
    assert.equal((await deliver(conn.url, created, sign(created, key))).status, 200);
    const before = Date.parse((await licenseOf(c, licenseKey)).expiresAt);
    const renewal = fixture('lemonsqueezy/subscription_payment_success.json', { INVOICE: `${sub}1`, SUBSCRIPTION: sub, EMAIL: 'ls@example.com' });
    const renewed = await deliver(conn.url, renewal, sign(renewal, key));
    assert.equal(renewed.status, 200, renewed.text);
    assert.ok(Date.parse((await licenseOf(c, licenseKey)).expiresAt) - before > 29 * 86_400_000, 'renewed');

    const refund = body.replace('"event_name": "order_created"', '"event_name": "order_refunded"').replace('"refunded": false', '"refunded": true').replace('"refunded_amount": 0', '"refunded_amount": 500');
    for (let i = 0; i < 2; i++) assert.equal((await deliver(conn.url, refund, sign(refund, key))).status, 200);
    assert.equal((await licenseOf(c, licenseKey)).disputeReason, 'refund');
    const st = await stats(c, productId);
    assert.deepEqual([st.totals.refunds, st.totals.refundedCents], [1, 500], 'a partial refund, once');

    const { c: c2, productId: p2 } = await shop({ durationDays: 30 });
    const conn2 = await connect(c2, { provider: 'lemonsqueezy', signingSecret: key, products: [{ match: variant, productId: p2 }] });
    const order2 = String(Math.floor(Math.random() * 1e9));
    const body2 = fixture('lemonsqueezy/order_created.json', { ORDER: order2, EMAIL: 'ls2@example.com', VARIANT: variant });
    const made = await deliver(conn2.url, body2, sign(body2, key));
    const expired = fixture('lemonsqueezy/subscription.json', { EVENT: 'subscription_expired', SUBSCRIPTION: sub, ORDER: order2, VARIANT: variant, EMAIL: 'ls2@example.com', STATUS: 'expired' });
    assert.equal((await deliver(conn2.url, expired, sign(expired, key))).status, 200);
    const ended = await licenseOf(c2, made.body.results[0].licenseKey);
    assert.equal(ended.status, 'revoked', 'an expired subscription ends the licence now');
    assert.equal(ended.revokeReason, 'cancelled');
  });

  it('a tampered body and a wrong secret are 401 and store nothing', async () => {
    const { c, productId } = await shop();
    const key = secret('ls_');
    const conn = await connect(c, { provider: 'lemonsqueezy', signingSecret: key, products: [{ match: '777', productId }] });
    const order = String(Math.floor(Math.random() * 1e9));
    const body = fixture('lemonsqueezy/order_created.json', { ORDER: order, EMAIL: 'ls@example.com', VARIANT: '777' });
    for (const r of [await deliver(conn.url, body.replace('1999', '1'), sign(body, key)), await deliver(conn.url, body, sign(body, secret('ls_'))), await deliver(conn.url, body, {})]) {
      assert.equal(r.status, 401, r.text);
    }
    await nothingStored(c, order);
  });
});

describe('gumroadWebhook', () => {
  const ping = (v: Record<string, string>) =>
    fixture('gumroad/sale.txt', { RECURRING: 'false', REFUNDED: 'false', DISPUTED: 'false', DISPUTE_WON: 'false', EMAIL: 'g%40example.com', ...v });
  const form = 'application/x-www-form-urlencoded';

  it('a sale ping → licence once; renewal; dispute and dispute won; refund; a wrong token or seller is 401', async () => {
    const { c, productId } = await shop({ durationDays: 30 });
    const seller = uid('seller');
    const permalink = uid('perm');
    const made = await asCreator(c.apiKey, 'createPaymentConnection', { provider: 'gumroad', sellerId: seller, products: [{ match: permalink, productId }] });
    assert.equal(made.status, 200, made.text);
    const url: string = made.body.webhookUrl;
    assert.match(url, /\/gumroadWebhook\/pc_[\w-]+\?token=[\w-]{40,}$/);
    assert.ok(!made.body.connection.webhookUrl.includes('token='), 'the token is shown once');
    const sub = uid('sub');
    const sale = ping({ SALE: `${sub}-1`, SELLER: seller, PRODUCT: uid('gp'), PERMALINK: permalink, SUBSCRIPTION: sub });
    const replies = await Promise.all(Array.from({ length: 4 }, () => deliver(url, sale, {}, form)));
    for (const r of replies) assert.equal(r.status, 200, r.text);
    const s = await stored(c.creatorId, sub);
    assert.equal(s.licenses.length, 1);
    const licenseKey = s.licenses[0]!.licenseKey as string;
    assert.deepEqual(await mailTo(licenseKey), ['g@example.com']);
    assert.deepEqual(s.sales.map((x) => [x.kind, x.amountCents, x.currency]), [['purchase', 1500, 'USD']]);

    const before = Date.parse((await licenseOf(c, licenseKey)).expiresAt);
    const recurring = ping({ SALE: `${sub}-2`, SELLER: seller, PRODUCT: uid('gp'), PERMALINK: permalink, SUBSCRIPTION: sub, RECURRING: 'true' });
    assert.equal((await deliver(url, recurring, {}, form)).status, 200);
    assert.ok(Date.parse((await licenseOf(c, licenseKey)).expiresAt) - before > 29 * 86_400_000, 'renewed');

    const disputed = ping({ SALE: `${sub}-1`, SELLER: seller, PRODUCT: uid('gp'), PERMALINK: permalink, SUBSCRIPTION: sub, DISPUTED: 'true' });
    assert.equal((await deliver(url, disputed, {}, form)).status, 200);
    assert.equal((await licenseOf(c, licenseKey)).disputeReason, 'chargeback');
    const won = ping({ SALE: `${sub}-1`, SELLER: seller, PRODUCT: uid('gp'), PERMALINK: permalink, SUBSCRIPTION: sub, DISPUTED: 'true', DISPUTE_WON: 'true' });
    assert.equal((await deliver(url, won, {}, form)).status, 200);
    assert.equal((await licenseOf(c, licenseKey)).status, 'active');
    const refunded = ping({ SALE: `${sub}-1`, SELLER: seller, PRODUCT: uid('gp'), PERMALINK: permalink, SUBSCRIPTION: sub, REFUNDED: 'true' });
    assert.equal((await deliver(url, refunded, {}, form)).status, 200);
    assert.equal((await licenseOf(c, licenseKey)).disputeReason, 'refund');
    const st = await stats(c, productId);
    assert.deepEqual([st.totals.refunds, st.totals.refundedCents], [1, 3000], 'the chargeback came back when won; the refund gave back both payments');

    const other = uid('sub');
    const otherSale = ping({ SALE: `${other}-1`, SELLER: seller, PRODUCT: uid('gp'), PERMALINK: permalink, SUBSCRIPTION: other });
    const noToken = url.replace(/\?token=.*$/, '');
    for (const r of [
      await deliver(noToken, otherSale, {}, form),
      await deliver(`${noToken}?token=${randomBytes(32).toString('base64url')}`, otherSale, {}, form),
      await deliver(url, otherSale.replace(`seller_id=${seller}`, 'seller_id=someone-else'), {}, form),
    ]) assert.equal(r.status, 401, r.text);
    await nothingStored(c, other);
  });
});

describe('polarWebhook', () => {
  const sign = (body: string, key: string, at = new Date()) => {
    const id = `msg_${randomBytes(8).toString('hex')}`;
    const signature = new Webhook(Buffer.from(key, 'utf8').toString('base64')).sign(id, at, body);
    return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
  };

  it('order.paid → licence once; a cycle order renews; order.refunded; subscription.revoked revokes now', async () => {
    const { c, productId } = await shop({ durationDays: 30 });
    const key = secret('polar_whs_');
    const polarProduct = crypto.randomUUID();
    const conn = await connect(c, { provider: 'polar', signingSecret: key, products: [{ match: polarProduct, productId }] });
    const sub = crypto.randomUUID();
    const order = (id: string, event: string, reason: string, refunded = 0) =>
      fixture('polar/order.json', { EVENT: event, ORDER: id, STATUS: refunded ? 'partially_refunded' : 'paid', REFUNDED: refunded, BILLING_REASON: reason, PRODUCT: polarProduct, SUBSCRIPTION: sub, EMAIL: 'polar@example.com' });
    const firstId = crypto.randomUUID();
    const paid = order(firstId, 'order.paid', 'subscription_create');
    const created = order(firstId, 'order.created', 'subscription_create');
    const replies = await Promise.all([deliver(conn.url, paid, sign(paid, key)), deliver(conn.url, paid, sign(paid, key)), deliver(conn.url, created, sign(created, key))]);
    for (const r of replies) assert.equal(r.status, 200, r.text);
    const s = await stored(c.creatorId, sub);
    assert.equal(s.licenses.length, 1);
    const licenseKey = s.licenses[0]!.licenseKey as string;
    assert.deepEqual(await mailTo(licenseKey), ['polar@example.com']);
    assert.deepEqual(s.sales.map((x) => [x.kind, x.amountCents, x.currency]), [['purchase', 1200, 'USD']]);

    const before = Date.parse((await licenseOf(c, licenseKey)).expiresAt);
    const cycle = order(crypto.randomUUID(), 'order.paid', 'subscription_cycle');
    assert.equal((await deliver(conn.url, cycle, sign(cycle, key))).status, 200);
    assert.ok(Date.parse((await licenseOf(c, licenseKey)).expiresAt) - before > 29 * 86_400_000, 'renewed');

    const refund = order(firstId, 'order.refunded', 'subscription_create', 300);
    for (let i = 0; i < 2; i++) assert.equal((await deliver(conn.url, refund, sign(refund, key))).status, 200);
    assert.equal((await licenseOf(c, licenseKey)).disputeReason, 'refund');
    const st = await stats(c, productId);
    assert.deepEqual([st.totals.refunds, st.totals.refundedCents], [1, 300]);

    const { c: c2, productId: p2 } = await shop({ durationDays: 30 });
    const conn2 = await connect(c2, { provider: 'polar', signingSecret: key, products: [{ match: polarProduct, productId: p2 }] });
    const made = await deliver(conn2.url, paid, sign(paid, key));
    const canceled = fixture('polar/subscription.json', { EVENT: 'subscription.canceled', SUBSCRIPTION: sub, STATUS: 'active', PRODUCT: polarProduct, EMAIL: 'polar@example.com' });
    assert.equal((await deliver(conn2.url, canceled, sign(canceled, key))).status, 200);
    assert.equal((await licenseOf(c2, made.body.results[0].licenseKey)).status, 'active', 'cancelled at period end: runs to expiry');
    const revoked = fixture('polar/subscription.json', { EVENT: 'subscription.revoked', SUBSCRIPTION: sub, STATUS: 'canceled', PRODUCT: polarProduct, EMAIL: 'polar@example.com' });
    assert.equal((await deliver(conn2.url, revoked, sign(revoked, key))).status, 200);
    assert.equal((await licenseOf(c2, made.body.results[0].licenseKey)).status, 'revoked', 'revoked now');
  });

  it('a tampered body, a wrong secret and a stale timestamp are 401 and store nothing', async () => {
    const { c, productId } = await shop();
    const key = secret('polar_whs_');
    const polarProduct = crypto.randomUUID();
    const conn = await connect(c, { provider: 'polar', signingSecret: key, products: [{ match: polarProduct, productId }] });
    const id = crypto.randomUUID();
    const body = fixture('polar/order.json', { EVENT: 'order.paid', ORDER: id, STATUS: 'paid', REFUNDED: 0, BILLING_REASON: 'purchase', PRODUCT: polarProduct, SUBSCRIPTION: 'null', EMAIL: 'p@example.com' }).replace('"subscription_id": "null"', '"subscription_id": null');
    const replies = [
      await deliver(conn.url, body.replace('1200', '1'), sign(body, key)),
      await deliver(conn.url, body, sign(body, secret('polar_whs_'))),
      await deliver(conn.url, body, sign(body, key, new Date(Date.now() - 3_600_000))),
      await deliver(conn.url, body, {}),
    ];
    for (const r of replies) assert.equal(r.status, 401, r.text);
    await nothingStored(c, id);
    const good = await deliver(conn.url, body, sign(body, key));
    assert.equal(good.status, 200, good.text);
    assert.equal((await stored(c.creatorId, id)).licenses.length, 1, 'the same body, rightly signed, is a purchase');
  });
});
