// paymentWebhook: each event type's effect, secrets (platform and per creator), idempotency under
// concurrency, events before their purchase, the buyer email, and bad input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { db } from '../functions/src/store/firestore.ts';
import { getPurchase } from '../functions/src/store/licenses.ts';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, uid, WEBHOOK_SECRET, type CreatorFixture } from './helpers.ts';

const pay = (body: Record<string, unknown>, secret: string | null = WEBHOOK_SECRET) =>
  call('paymentWebhook', body, secret === null ? {} : { headers: { 'x-webhook-secret': secret } });

const purchase = (productId: string, fields: Record<string, unknown> = {}) => ({
  type: 'purchase.completed',
  email: 'buyer@example.com',
  productId,
  purchaseId: uid('order'),
  amount: 2900,
  currency: 'USD',
  ...fields,
});

async function docs(collection: string, field: string, value: string) {
  return (await (await db()).collection(collection).where(field, '==', value).get()).docs.map((d) => d.data());
}

const license = async (apiKey: string, licenseKey: string) => (await asCreator(apiKey, 'getLicense', { licenseKey })).body.license;

async function fixture(fields: Record<string, unknown> = {}): Promise<{ c: CreatorFixture; productId: string }> {
  const c = await newCreator('shop');
  return { c, productId: await newProduct(c, fields) };
}

describe('paymentWebhook: purchase.completed', () => {
  it('issues a licence, queues one buyer email and records one sale', async () => {
    const { c, productId } = await fixture({ maxMachines: 2, emailSubject: 'Your {product} key', emailFromName: 'Acme Apps', emailReplyTo: 'help@acme.test' });
    const body = purchase(productId);
    const r = await pay(body);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.success, true);
    assert.match(r.body.licenseKey, /^SHOP/);
    assert.equal(r.body.created, true);
    const l = await license(c.apiKey, r.body.licenseKey);
    assert.equal(l.email, 'buyer@example.com');
    assert.equal(l.maxMachines, 2);
    assert.equal(l.purchaseId, body.purchaseId);
    assert.equal(l.expiresAt, null, 'perpetual');
    const mail = (await (await db()).collection('mail').doc(r.body.licenseKey).get()).data();
    assert.deepEqual(mail?.to, ['buyer@example.com']);
    assert.equal(mail?.message.subject, `Your Product ${productId} key`);
    assert.match(mail?.message.text, new RegExp(r.body.licenseKey));
    assert.match(mail?.message.html, new RegExp(`<code>${r.body.licenseKey}</code>`));
    assert.equal(mail?.replyTo, 'help@acme.test');
    const sales = await docs('sales', 'purchaseId', body.purchaseId);
    assert.equal(sales.length, 1);
    assert.deepEqual([sales[0]!.kind, sales[0]!.amountCents, sales[0]!.currency, sales[0]!.feeCents], ['purchase', 2900, 'USD', 0], 'PLATFORM_FEE_PERCENT defaults to 0');
  });

  it('takes the expiry from durationDays, else trialDays, else the product', async () => {
    const { c, productId } = await fixture({ durationDays: 365 });
    const near = (iso: string, days: number) => Math.abs(Date.parse(iso) - (Date.now() + days * 86_400_000)) < 120_000;
    const withDuration = await pay(purchase(productId, { durationDays: 30, trialDays: 7 }));
    assert.ok(near((await license(c.apiKey, withDuration.body.licenseKey)).expiresAt, 30));
    const trial = await pay(purchase(productId, { trialDays: 7 }));
    const t = await license(c.apiKey, trial.body.licenseKey);
    assert.ok(near(t.expiresAt, 7));
    assert.equal(t.trial, true);
    const plain = await pay(purchase(productId, { variant: undefined, discountCode: 'LAUNCH20' }));
    const p = await license(c.apiKey, plain.body.licenseKey);
    assert.ok(near(p.expiresAt, 365), 'the product duration');
    assert.equal(p.discountCode, 'LAUNCH20');
  });

  it("takes a trial code's days and counts its use; an unknown code is only recorded", async () => {
    const { c, productId } = await fixture({ durationDays: 365 });
    const code = uid('TRY').toUpperCase();
    const made = await asCreator(c.apiKey, 'createTrialCode', { code, productId, trialDays: 10, maxUses: 1 });
    assert.equal(made.status, 200, made.text);
    const near = (iso: string, days: number) => Math.abs(Date.parse(iso) - (Date.now() + days * 86_400_000)) < 120_000;
    for (let i = 0; i < 2; i++) {
      const r = await pay(purchase(productId, { discountCode: code.toLowerCase() }));
      assert.equal(r.status, 200, r.text);
      const l = await license(c.apiKey, r.body.licenseKey);
      assert.ok(near(l.expiresAt, 10), 'the trial code sets the term');
      assert.deepEqual([l.trial, l.discountCode], [true, code]);
    }
    const codes = (await asCreator(c.apiKey, 'listTrialCodes', { productId })).body.codes;
    assert.equal(codes.find((x: any) => x.code === code).usedCount, 2, 'a sale counts even past maxUses');
    const unknown = await pay(purchase(productId, { discountCode: 'NOT-A-CODE' }));
    assert.equal(unknown.status, 200, 'the sale happened: the licence is issued anyway');
    const u = await license(c.apiKey, unknown.body.licenseKey);
    assert.deepEqual([u.discountCode, u.trial], ['NOT-A-CODE', false]);
    assert.ok(near(u.expiresAt, 365));
  });

  it('queues one buyer email for a redeemed trial code too', async () => {
    const { c, productId } = await fixture();
    const code = uid('TRIAL').toUpperCase();
    await asCreator(c.apiKey, 'createTrialCode', { code, productId, trialDays: 7 });
    const r = await asCreator(c.apiKey, 'redeemTrialCode', { code, email: 'trier@example.com', productId });
    assert.equal(r.status, 200, r.text);
    const mails = await docs('mail', 'productId', productId);
    assert.equal(mails.length, 1);
    assert.deepEqual(mails[0]!.to, ['trier@example.com']);
    assert.match(mails[0]!.message.text, new RegExp(r.body.licenseKey));
    assert.match(mails[0]!.message.text, /trial licence/);
    assert.equal((await asCreator(c.apiKey, 'redeemTrialCode', { code, email: 'trier@example.com', productId })).status, 409);
    assert.equal((await docs('mail', 'productId', productId)).length, 1);
  });

  it('answers a repeated delivery with the first licence', async () => {
    const { productId } = await fixture();
    const body = purchase(productId);
    const first = await pay(body);
    const again = await pay({ ...body, email: 'someone-else@example.com', amount: 1 });
    assert.equal(again.status, 200);
    assert.deepEqual([again.body.success, again.body.licenseKey, again.body.created], [true, first.body.licenseKey, false]);
  });

  it('gives 20 simultaneous deliveries of one purchase one licence, one email and one sale', async () => {
    const { c, productId } = await fixture();
    const body = purchase(productId);
    const replies = await Promise.all(Array.from({ length: 20 }, () => pay(body)));
    for (const r of replies) assert.equal(r.status, 200, r.text);
    const keys = new Set(replies.map((r) => r.body.licenseKey));
    assert.equal(keys.size, 1);
    assert.equal(replies.filter((r) => r.body.created).length, 1);
    const [key] = keys;
    assert.equal((await docs('licenses', 'purchaseId', body.purchaseId)).length, 1);
    assert.equal((await docs('mail', 'productId', productId)).length, 1);
    assert.equal((await docs('sales', 'purchaseId', body.purchaseId)).length, 1);
    assert.equal((await getPurchase(c.creatorId, body.purchaseId))?.licenseKey, key);
    const created = (await docs('events', 'licenseKey', key as string)).filter((e) => e.type === 'license.created');
    assert.equal(created.length, 1);
  });
});

describe('paymentWebhook: refunds, disputes and subscriptions', () => {
  it('revokes on refund (threat level 4, disputeReason refund) and records the refund once', async () => {
    const { c, productId } = await fixture();
    const body = purchase(productId);
    const { licenseKey } = (await pay(body)).body;
    const refund = { type: 'purchase.refunded', productId, purchaseId: body.purchaseId };
    for (let i = 0; i < 2; i++) {
      const r = await pay(refund);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.licenseKey, licenseKey);
    }
    const l = await license(c.apiKey, licenseKey);
    assert.deepEqual([l.status, l.threatLevel, l.disputeReason, l.revokeReason], ['revoked', 4, 'refund', 'refund']);
    const sales = await docs('sales', 'purchaseId', body.purchaseId);
    assert.deepEqual(sales.map((s) => s.kind).sort(), ['purchase', 'refund']);
    const refundSale = sales.find((s) => s.kind === 'refund')!;
    assert.deepEqual([refundSale.amountCents, refundSale.currency, refundSale.feeCents], [2900, 'USD', 0], 'the full amount');
    const revoked = (await docs('events', 'licenseKey', licenseKey)).filter((e) => e.type === 'license.revoked');
    assert.equal(revoked.length, 1);
  });

  it('revokes on dispute with disputeReason chargeback; a dispute after a refund changes only the reason', async () => {
    const { c, productId } = await fixture();
    const body = purchase(productId);
    const { licenseKey } = (await pay(body)).body;
    const r = await pay({ type: 'purchase.disputed', productId, purchaseId: body.purchaseId, amount: 1000, currency: 'usd' });
    assert.equal(r.status, 200, r.text);
    let l = await license(c.apiKey, licenseKey);
    assert.deepEqual([l.status, l.threatLevel, l.disputeReason], ['revoked', 4, 'chargeback']);
    const other = purchase(productId);
    const second = (await pay(other)).body.licenseKey;
    await pay({ type: 'purchase.refunded', productId, purchaseId: other.purchaseId });
    await pay({ type: 'purchase.disputed', productId, purchaseId: other.purchaseId });
    l = await license(c.apiKey, second);
    assert.equal(l.disputeReason, 'chargeback');
    const kinds = (await docs('sales', 'purchaseId', other.purchaseId)).map((s) => s.kind).sort();
    assert.deepEqual(kinds, ['purchase', 'refund'], 'the money went back once');
    const chargeback = (await docs('sales', 'purchaseId', body.purchaseId)).find((s) => s.kind === 'chargeback');
    assert.deepEqual([chargeback?.amountCents, chargeback?.currency], [1000, 'USD']);
  });

  it('applies a refund that arrived before its purchase as soon as the purchase lands', async () => {
    const { c, productId } = await fixture();
    const body = purchase(productId);
    const early = await pay({ type: 'purchase.refunded', productId, purchaseId: body.purchaseId });
    assert.equal(early.status, 200, early.text);
    assert.deepEqual([early.body.licenseKey, early.body.pending], [null, true]);
    assert.equal((await docs('sales', 'purchaseId', body.purchaseId)).length, 0);
    const r = await pay(body);
    assert.equal(r.status, 200, r.text);
    const l = await license(c.apiKey, r.body.licenseKey);
    assert.deepEqual([l.status, l.threatLevel, l.disputeReason], ['revoked', 4, 'refund']);
    assert.deepEqual((await docs('sales', 'purchaseId', body.purchaseId)).map((s) => s.kind).sort(), ['purchase', 'refund']);
    assert.equal((await docs('pendingPayments', 'purchaseId', body.purchaseId)).length, 0, 'applied and cleared');
    const again = await pay(body);
    assert.equal(again.body.licenseKey, r.body.licenseKey);
    assert.equal((await docs('sales', 'purchaseId', body.purchaseId)).length, 2);
  });

  it('extends a subscription from the later of now and its expiry, once per renewal', async () => {
    const { c, productId } = await fixture();
    const body = purchase(productId, { durationDays: 30 });
    const { licenseKey } = (await pay(body)).body;
    const before = Date.parse((await license(c.apiKey, licenseKey)).expiresAt);
    const renewal = { type: 'subscription.renewed', productId, purchaseId: body.purchaseId, durationDays: 30, renewalId: uid('inv'), amount: 2900, currency: 'USD' };
    const r = await pay(renewal);
    assert.equal(r.status, 200, r.text);
    assert.equal(Date.parse(r.body.expiresAt), before + 30 * 86_400_000);
    const dup = await pay(renewal);
    assert.equal(dup.body.duplicate, true);
    assert.equal(Date.parse((await license(c.apiKey, licenseKey)).expiresAt), before + 30 * 86_400_000, 'a repeated renewal extends once');
    const next = await pay({ ...renewal, renewalId: uid('inv') });
    assert.equal(Date.parse(next.body.expiresAt), before + 60 * 86_400_000);
    assert.equal((await docs('sales', 'purchaseId', body.purchaseId)).filter((s) => s.kind === 'renewal').length, 2);
    const updated = (await docs('events', 'licenseKey', licenseKey)).filter((e) => e.type === 'license.updated');
    assert.equal(updated.length, 2);
    assert.equal(updated[0]!.data.cause, 'subscription.renewed');
  });

  it("renews by the product's duration when the event gives none; a renewal before its purchase is 404", async () => {
    const { c, productId } = await fixture({ durationDays: 10 });
    const body = purchase(productId);
    const { licenseKey } = (await pay(body)).body;
    const r = await pay({ type: 'subscription.renewed', productId, purchaseId: body.purchaseId });
    assert.equal(r.status, 200, r.text);
    assert.ok(Math.abs(Date.parse(r.body.expiresAt) - (Date.now() + 20 * 86_400_000)) < 120_000);
    assert.equal((await license(c.apiKey, licenseKey)).status, 'active');
    const unknown = await pay({ type: 'subscription.renewed', productId, purchaseId: uid('nope'), durationDays: 5 });
    assert.equal(unknown.status, 404, 'providers retry a renewal that came before its purchase');
  });

  it('records a cancellation and lets the licence run to its expiry (also when it comes first)', async () => {
    const { c, productId } = await fixture();
    const body = purchase(productId, { durationDays: 30 });
    const early = await pay({ type: 'subscription.cancelled', productId, purchaseId: body.purchaseId });
    assert.deepEqual([early.status, early.body.pending], [200, true]);
    const { licenseKey } = (await pay(body)).body;
    const l = await license(c.apiKey, licenseKey);
    assert.equal(l.status, 'active');
    assert.ok(l.expiresAt);
    assert.ok((await getPurchase(c.creatorId, body.purchaseId)) !== undefined);
    const purchaseDoc = (await docs('purchases', 'purchaseId', body.purchaseId))[0]!;
    assert.ok(purchaseDoc.cancelledAt, 'recorded on the purchase');
    const again = await pay({ type: 'subscription.cancelled', productId, purchaseId: body.purchaseId });
    assert.deepEqual([again.status, again.body.licenseKey, again.body.pending], [200, licenseKey, false]);
    const cancelled = (await docs('events', 'licenseKey', licenseKey)).filter((e) => e.data?.cause === 'subscription.cancelled');
    assert.equal(cancelled.length, 1, 'recorded once');
  });

  it('answers unknown event types 200 with ignored: true, and writes nothing', async () => {
    const { productId } = await fixture();
    const body = { ...purchase(productId), type: 'customer.updated' };
    const r = await pay(body);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { success: true, ignored: true, type: 'customer.updated' });
    for (const [collection, field, value] of [
      ['licenses', 'productId', productId],
      ['purchases', 'purchaseId', body.purchaseId],
      ['sales', 'purchaseId', body.purchaseId],
      ['pendingPayments', 'purchaseId', body.purchaseId],
      ['mail', 'productId', productId],
      ['events', 'productId', productId],
    ] as const) {
      assert.deepEqual(await docs(collection, field, value), [], `${collection} for the ignored event`);
    }
  });
});

describe('paymentWebhook: secrets', () => {
  it('refuses a missing or wrong secret with 401 and writes nothing', async () => {
    const { productId } = await fixture();
    for (const secret of [null, 'wrong', `${WEBHOOK_SECRET}x`, 'whsec_c_guess']) {
      const body = purchase(productId);
      const r = await pay(body, secret);
      assert.equal(r.status, 401, String(secret));
      assert.ok(isErrorShape(r.body, 'unauthorized'));
      assert.equal((await docs('licenses', 'purchaseId', body.purchaseId)).length, 0);
      assert.equal((await docs('sales', 'purchaseId', body.purchaseId)).length, 0);
      assert.equal((await docs('pendingPayments', 'purchaseId', body.purchaseId)).length, 0);
    }
    assert.equal((await docs('mail', 'productId', productId)).length, 0);
    const refund = await pay({ type: 'purchase.refunded', productId, purchaseId: uid('o') }, 'wrong');
    assert.equal(refund.status, 401);
    const ignoredButUnauthorised = await pay({ type: 'customer.updated' }, null);
    assert.equal(ignoredButUnauthorised.status, 401);
  });

  it('takes the secret from the webhookSecret body field too', async () => {
    const { productId } = await fixture();
    const r = await call('paymentWebhook', { ...purchase(productId), webhookSecret: WEBHOOK_SECRET });
    assert.equal(r.status, 200, r.text);
  });

  it("lets a creator's own secret reach only that creator's products", async () => {
    const a = await fixture();
    const b = await fixture();
    const made = await asCreator(a.c.apiKey, 'createWebhookSecret', { name: 'Stripe' });
    assert.equal(made.status, 200, made.text);
    assert.match(made.body.webhookSecret, /^whsec_c_[A-Za-z0-9_-]{43}$/);
    const secret = made.body.webhookSecret as string;
    const mine = await pay(purchase(a.productId), secret);
    assert.equal(mine.status, 200, mine.text);
    const theirs = purchase(b.productId);
    const r = await pay(theirs, secret);
    assert.equal(r.status, 404);
    assert.ok(isErrorShape(r.body, 'not_found'));
    assert.equal((await docs('licenses', 'purchaseId', theirs.purchaseId)).length, 0);
    const refund = await pay({ type: 'purchase.refunded', productId: b.productId, purchaseId: uid('o') }, secret);
    assert.equal(refund.status, 404);

    const list = await asCreator(a.c.apiKey, 'listWebhookSecrets');
    assert.deepEqual(list.body.webhookSecrets.map((s: any) => s.id), [made.body.id]);
    assert.equal(JSON.stringify(list.body).includes(secret), false, 'never listed');
    assert.equal((await asCreator(b.c.apiKey, 'listWebhookSecrets')).body.webhookSecrets.length, 0);
    assert.equal((await asCreator(b.c.apiKey, 'revokeWebhookSecret', { id: made.body.id })).status, 404, 'another creator cannot revoke it');
    assert.equal((await asCreator(a.c.apiKey, 'revokeWebhookSecret', { id: made.body.id })).status, 200);
    assert.equal((await pay(purchase(a.productId), secret)).status, 401, 'revoked');
  });

  it('lets the super admin make a secret for a named creator only', async () => {
    const { c, productId } = await fixture();
    assert.equal((await asAdmin('createWebhookSecret', {})).status, 400, 'creatorId is required');
    const made = await asAdmin('createWebhookSecret', { creatorId: c.creatorId });
    assert.equal(made.status, 200, made.text);
    assert.equal((await pay(purchase(productId), made.body.webhookSecret)).status, 200);
    assert.equal((await asAdmin('listWebhookSecrets', { creatorId: c.creatorId })).body.webhookSecrets.length, 1);
  });
});

describe('paymentWebhook: bad input', () => {
  it('refuses missing and wrong fields with 400 naming them', async () => {
    const { productId } = await fixture();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /type/],
      [{ type: 42 }, /type/],
      [{ type: 'purchase.completed', productId, purchaseId: 'o1' }, /email/],
      [{ type: 'purchase.completed', email: 'a@b.co', purchaseId: 'o1' }, /productId/],
      [{ type: 'purchase.completed', email: 'a@b.co', productId }, /purchaseId/],
      [{ type: 'purchase.completed', email: 'not-an-email', productId, purchaseId: 'o1' }, /email/],
      [{ type: 'purchase.completed', email: 'a@b.co', productId, purchaseId: 'o 1' }, /purchaseId/],
      [{ type: 'purchase.completed', email: 'a@b.co', productId, purchaseId: 'o1', amount: -5, currency: 'USD' }, /amount/],
      [{ type: 'purchase.completed', email: 'a@b.co', productId, purchaseId: 'o1', amount: 10 }, /currency/],
      [{ type: 'purchase.completed', email: 'a@b.co', productId, purchaseId: 'o1', amount: 10, currency: 'dollars' }, /currency/],
      [{ type: 'purchase.completed', email: 'a@b.co', productId, purchaseId: 'o1', durationDays: 0 }, /durationDays/],
      [{ type: 'purchase.completed', email: 'a@b.co', productId, purchaseId: 'o1', maxMachines: 'many' }, /maxMachines/],
      [{ type: 'purchase.refunded', productId }, /purchaseId/],
      [{ type: 'subscription.renewed', productId, purchaseId: 'o1', durationDays: 'x' }, /durationDays/],
    ];
    for (const [body, field] of cases) {
      const r = await pay(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(isErrorShape(r.body, 'invalid_request'));
      assert.match(r.body.error, field, JSON.stringify(body));
    }
    assert.equal((await pay(purchase('no-such-product'))).status, 404);
    assert.equal((await pay(purchase(productId, { variant: 'no-such-variant' }))).status, 404);
    assert.equal((await call('paymentWebhook', undefined, { method: 'GET' })).status, 405);
  });

  it('refuses bad input to the webhook secret endpoints', async () => {
    const { c } = await fixture();
    assert.equal((await asCreator(c.apiKey, 'createWebhookSecret', { name: 7 })).status, 400);
    assert.equal((await asCreator(c.apiKey, 'revokeWebhookSecret', {})).status, 400);
    assert.equal((await asCreator(c.apiKey, 'revokeWebhookSecret', { id: 'whs_nope' })).status, 404);
    assert.equal((await call('createWebhookSecret', { name: 'x' })).status, 401);
  });
});

describe('paymentWebhook: money adds up', () => {
  it('adds partial refunds up to what was paid, in its currency; more, or another currency, is 400 and writes nothing', async () => {
    const { c, productId } = await fixture();
    const body = purchase(productId, { amount: 3000, currency: 'EUR' });
    const { licenseKey } = (await pay(body)).body;
    const refund = (fields: Record<string, unknown>) => pay({ type: 'purchase.refunded', productId, purchaseId: body.purchaseId, ...fields });
    const first = await refund({ refundId: 're_1', amount: 1000, currency: 'EUR' });
    assert.equal(first.status, 200, first.text);
    assert.equal((await license(c.apiKey, licenseKey)).status, 'revoked');
    assert.equal((await refund({ refundId: 're_1', amount: 1000, currency: 'EUR' })).status, 200, 'a repeated delivery');
    const second = await refund({ refundId: 're_2', amount: 1500, currency: 'eur' });
    assert.equal(second.status, 200, second.text);

    const tooMuch = await refund({ refundId: 're_3', amount: 501, currency: 'EUR' });
    assert.equal(tooMuch.status, 400, tooMuch.text);
    assert.ok(isErrorShape(tooMuch.body, 'invalid_request'));
    assert.match(tooMuch.body.error, /amount: 501 .*500 EUR/);
    const otherCurrency = await refund({ refundId: 're_4', amount: 100, currency: 'USD' });
    assert.equal(otherCurrency.status, 400);
    assert.match(otherCurrency.body.error, /currency: .*EUR/);
    const dispute = await pay({ type: 'purchase.disputed', productId, purchaseId: body.purchaseId, disputeId: 'dp_1', amount: 3000, currency: 'EUR' });
    assert.equal(dispute.status, 400, 'a dispute cannot take back more than is left either');
    assert.match(dispute.body.error, /amount/);

    const rest = await refund({ refundId: 're_5' });
    assert.equal(rest.status, 200, 'no amount: what is left');
    const refunds = (await docs('sales', 'purchaseId', body.purchaseId)).filter((x) => x.kind === 'refund');
    assert.deepEqual(refunds.map((x) => x.amountCents).sort((a, b) => a - b), [500, 1000, 1500], 'each once; the refused ones wrote nothing');
    assert.ok(refunds.every((x) => x.currency === 'EUR' && x.feeCents === 0));
    assert.equal((await docs('purchases', 'purchaseId', body.purchaseId))[0]!.paid.refundedCents, 3000);
    assert.equal((await refund({ refundId: 're_6', amount: 1, currency: 'EUR' })).status, 400, 'nothing is left');
  });

  it('cuts a refund that waited for its purchase to what was paid (it was answered 200 already)', async () => {
    const { productId } = await fixture();
    const body = purchase(productId, { amount: 1000, currency: 'USD' });
    const early = await pay({ type: 'purchase.refunded', productId, purchaseId: body.purchaseId, refundId: 're_early', amount: 5000, currency: 'USD' });
    assert.deepEqual([early.status, early.body.pending], [200, true]);
    assert.equal((await pay(body)).status, 200);
    const refunds = (await docs('sales', 'purchaseId', body.purchaseId)).filter((x) => x.kind === 'refund');
    assert.deepEqual(refunds.map((x) => x.amountCents), [1000]);
  });

  it('revokes a purchase issued by createLicense on refund, recording no money it never saw', async () => {
    const { c, productId } = await fixture();
    const purchaseId = uid('imported');
    const made = await asCreator(c.apiKey, 'createLicense', { email: 'old@example.com', productId, purchaseId });
    const r = await pay({ type: 'purchase.refunded', productId, purchaseId, amount: 4900, currency: 'USD' });
    assert.equal(r.status, 200, r.text);
    assert.equal((await license(c.apiKey, made.body.licenseKey)).status, 'revoked');
    assert.deepEqual(await docs('sales', 'purchaseId', purchaseId), []);
  });

  it('renews once per billing period without a renewalId, in the purchase currency', async () => {
    const { c, productId } = await fixture({ durationDays: 30 });
    const body = purchase(productId, { amount: 900, currency: 'GBP' });
    const { licenseKey } = (await pay(body)).body;
    const before = Date.parse((await license(c.apiKey, licenseKey)).expiresAt);
    const renewal = { type: 'subscription.renewed', productId, purchaseId: body.purchaseId, amount: 900, currency: 'GBP' };
    const r = await pay(renewal);
    assert.equal(r.status, 200, r.text);
    assert.equal(Date.parse(r.body.expiresAt), before + 30 * 86_400_000);
    // A provider's retry, whenever in the first half of that period it comes, is the same renewal.
    const retry = await pay(renewal);
    assert.deepEqual([retry.status, retry.body.duplicate, Date.parse(retry.body.expiresAt)], [200, true, before + 30 * 86_400_000]);
    const renewals = (await docs('sales', 'purchaseId', body.purchaseId)).filter((x) => x.kind === 'renewal');
    assert.equal(renewals.length, 1);
    assert.deepEqual([renewals[0]!.period.start.toDate().getTime(), renewals[0]!.period.end.toDate().getTime()], [before, before + 30 * 86_400_000], 'the period it paid for');
    const purchaseDoc = (await docs('purchases', 'purchaseId', body.purchaseId))[0]!;
    assert.deepEqual([purchaseDoc.paid.paidCents, purchaseDoc.paid.currency], [1800, 'GBP']);

    const euros = await pay({ ...renewal, renewalId: uid('inv'), currency: 'EUR' });
    assert.equal(euros.status, 400);
    assert.match(euros.body.error, /currency: .*GBP/);
    // Refunds may then give back the purchase and its renewal.
    assert.equal((await pay({ type: 'purchase.refunded', productId, purchaseId: body.purchaseId, amount: 1800, currency: 'GBP' })).status, 200);
  });

  it('refuses a renewal of a licence without a duration unless it has a renewalId', async () => {
    const { productId } = await fixture();
    const body = purchase(productId);
    await pay(body);
    const r = await pay({ type: 'subscription.renewed', productId, purchaseId: body.purchaseId, amount: 500, currency: 'USD' });
    assert.equal(r.status, 400);
    assert.match(r.body.error, /renewalId/);
    const withId = await pay({ type: 'subscription.renewed', productId, purchaseId: body.purchaseId, renewalId: uid('inv'), amount: 500, currency: 'USD' });
    assert.equal(withId.status, 200, withId.text);
  });
});
