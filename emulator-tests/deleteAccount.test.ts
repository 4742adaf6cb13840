// Closing an account (deleteAccount): owner only, confirmed by repeating the account id; nothing
// of the account is left afterwards (every collection is scanned), no credential or licence key
// of it works, its id is never given out again, another account is untouched, and a large
// account is finished by the scheduled purge in bounded steps.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, asCreator, call, isErrorShape, uid } from './helpers.ts';
import { asPerson, newOwner, newPerson, verifyEmail, type Owner } from './accountHelpers.ts';
import { db } from '../functions/src/store/firestore.ts';
import { SUB } from '../functions/src/store/collections.ts';
import { run as purgeClosedAccounts } from '../functions/src/jobs/purgeClosedAccounts.ts';

/**
 * Every document anywhere — each top-level collection and each kind of sub-collection — whose
 * fields or path mention one of `needles`.
 */
async function documentsMentioning(needles: string[]): Promise<string[]> {
  const firestore = await db();
  const groups = [...(await firestore.listCollections()), ...Object.values(SUB).map((name) => firestore.collectionGroup(name))];
  const found = new Set<string>();
  for (const group of groups) {
    for (const doc of (await group.get()).docs) {
      const text = JSON.stringify(doc.data());
      if (needles.some((n) => text.includes(`"${n}"`) || doc.ref.path.split('/').includes(n))) found.add(doc.ref.path);
    }
  }
  return [...found].sort();
}

/** An account with something in every place an account keeps things. */
async function busyAccount(prefix: string) {
  const owner = await newOwner(prefix);
  const productId = uid('app');
  assert.equal((await asPerson(owner, 'createProduct', { name: 'App', slug: productId, maxMachines: 3 })).status, 200);
  assert.equal((await asPerson(owner, 'createVariant', { productId, variantId: 'pro', name: 'Pro' })).status, 200);
  const apiKey = (await asPerson(owner, 'createApiKey', { name: 'ci' })).body.apiKey as string;
  const secret = (await asPerson(owner, 'createWebhookSecret', { name: 'shop' })).body.webhookSecret as string;
  const lic = await asPerson(owner, 'createLicense', { email: 'buyer@example.com', productId });
  assert.equal(lic.status, 200, lic.text);
  const licenseKey = lic.body.licenseKey as string;
  assert.equal((await call('activate', { licenseKey, machineFingerprint: uid('m'), productId })).status, 200);
  const sold = await call('paymentWebhook', { type: 'purchase.completed', email: 'payer@example.com', productId, purchaseId: uid('order'), amount: 1500, currency: 'USD' }, { headers: { 'x-webhook-secret': secret } });
  assert.equal(sold.status, 200, sold.text);
  const trial = await asCreator(apiKey, 'createDiscountCode', { code: uid('TRY').toUpperCase(), type: 'trial', productId });
  assert.equal(trial.status, 200, trial.text);
  assert.equal((await asCreator(apiKey, 'redeemTrialCode', { code: trial.body.code.code ?? trial.body.code, email: 'tryer@example.com', productId })).status, 200);
  assert.equal((await asCreator(apiKey, 'createWebhook', { url: 'http://127.0.0.1:9/hook' })).status, 200);
  assert.equal((await asCreator(apiKey, 'createPublishableKey', { productId })).status, 200);
  const connection = await asCreator(apiKey, 'createPaymentConnection', { provider: 'stripe', signingSecret: `whsec_${uid('s')}`, products: [{ match: `price_${uid('p')}`, productId }] });
  assert.equal(connection.status, 200, connection.text);
  assert.equal((await asAdmin('recordPayout', { creatorId: owner.creatorId, payoutId: uid('payout'), amountCents: 500, currency: 'USD' })).status, 200);
  let mate = await newPerson('mate');
  assert.equal((await asPerson(owner, 'inviteMember', { email: mate.email })).status, 200);
  mate = await verifyEmail(mate);
  assert.equal((await asPerson(mate, 'getAccount')).body.account.creatorId, owner.creatorId);
  assert.equal((await asPerson(owner, 'inviteMember', { email: `later-${uid('x')}@example.com` })).status, 200);
  return { owner, mate, productId, apiKey, secret, licenseKey, purchaseKey: sold.body.licenseKey as string, connectionId: connection.body.connection.id as string };
}

describe('deleteAccount', () => {
  it('only the owner closes the account, by repeating its id', async () => {
    const { owner, mate, apiKey } = await busyAccount('gate');
    const byMate = await asPerson(mate, 'deleteAccount', { confirm: owner.creatorId });
    assert.equal(byMate.status, 403);
    assert.ok(isErrorShape(byMate.body, 'forbidden'));
    assert.equal((await asCreator(apiKey, 'deleteAccount', { confirm: owner.creatorId })).status, 401);
    const wrong = await asPerson(owner, 'deleteAccount', { confirm: 'something-else' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.error, new RegExp(owner.creatorId));
    const other = await newOwner('other');
    assert.equal((await asPerson(other, 'deleteAccount', { confirm: owner.creatorId, creatorId: owner.creatorId })).status, 404);
    // Still all there.
    assert.equal((await asCreator(apiKey, 'listProducts')).status, 200);
  });

  it('leaves nothing of the account, and no credential or key of it works', async () => {
    const keep = await busyAccount('keep');
    const gone = await busyAccount('gone');
    const closed = await asPerson(gone.owner, 'deleteAccount', { confirm: gone.owner.creatorId });
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.body.closed, true);
    assert.equal(closed.body.purged, true);
    assert.ok(closed.body.deleted > 10, closed.text);

    // Only the tombstone (creators/{id}) mentions the account, its licence keys or its product.
    const left = await documentsMentioning([gone.owner.creatorId, gone.licenseKey, gone.purchaseKey, gone.productId, gone.mate.uid, gone.owner.uid, gone.connectionId]);
    assert.deepEqual(left.filter((p) => !p.startsWith('rateLimits/')), [`creators/${gone.owner.creatorId}`]);

    assert.equal((await asCreator(gone.apiKey, 'listProducts')).status, 401);
    assert.equal((await asPerson(gone.mate, 'listProducts')).status, 401);
    assert.equal((await asPerson(gone.owner, 'getAccount')).body.account, null);
    const verify = await call('verify', { licenseKey: gone.licenseKey });
    assert.equal(verify.status, 404, verify.text);
    assert.equal((await call('activate', { licenseKey: gone.purchaseKey, machineFingerprint: uid('m'), productId: gone.productId })).status, 404);
    const sale = await call('paymentWebhook', { type: 'purchase.completed', email: 'p@example.com', productId: gone.productId, purchaseId: uid('o'), amount: 1, currency: 'USD' }, { headers: { 'x-webhook-secret': gone.secret } });
    assert.equal(sale.status, 401);

    // The id and its key prefix are never given out again, and nothing is made for it.
    const newcomer = await newPerson('newcomer');
    assert.equal((await asPerson(newcomer, 'createAccount', { creatorId: gone.owner.creatorId })).status, 409);
    assert.equal((await asAdmin('createProduct', { creatorId: gone.owner.creatorId, name: 'x', slug: uid('x') })).status, 404);
    assert.equal((await asAdmin('createApiKey', { creatorId: gone.owner.creatorId, name: 'x' })).status, 404);
    // The people may start again with a new account.
    assert.equal((await asPerson(gone.owner, 'createAccount', { creatorId: uid('again') })).status, 200);
    // Closing again is harmless.
    assert.equal((await asAdmin('deleteAccount', { creatorId: gone.owner.creatorId, confirm: gone.owner.creatorId })).body.purged, true);

    // The other account is untouched.
    assert.equal((await call('verify', { licenseKey: keep.licenseKey })).status, 200);
    assert.equal((await asCreator(keep.apiKey, 'getLicense', { licenseKey: keep.purchaseKey })).status, 200);
    assert.equal((await asPerson(keep.mate, 'listProducts')).status, 200);
    assert.ok((await documentsMentioning([keep.licenseKey])).length >= 3);
  });

  it('finishes a large account in bounded steps of the scheduled purge', async () => {
    const owner: Owner = await newOwner('large');
    const productId = uid('app');
    assert.equal((await asPerson(owner, 'createProduct', { name: 'App', slug: productId })).status, 200);
    const keys = await Promise.all(Array.from({ length: 12 }, async (_, i) => (await asPerson(owner, 'createLicense', { email: `b${i}@example.com`, productId })).body.licenseKey as string));
    // Closed by the super admin here so the request's own step can be skipped: a budget of 0 is
    // what a request that ran out of budget leaves.
    const { closeCreator } = await import('../functions/src/store/accounts.ts');
    await closeCreator(owner.creatorId, new Date());
    assert.equal((await call('verify', { licenseKey: keys[0] })).status, 200, 'not yet purged');
    const steps: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await purgeClosedAccounts(new Date(), [owner.creatorId], 5);
      steps.push(r.deleted);
      if (r.finished === 1) break;
    }
    assert.ok(steps.length >= 3, `several steps: ${steps}`);
    assert.ok(steps.every((n) => n <= 5), `each within its budget: ${steps}`);
    for (const licenseKey of keys) assert.equal((await call('verify', { licenseKey })).status, 404);
    assert.deepEqual(await documentsMentioning([owner.creatorId, productId]), [`creators/${owner.creatorId}`]);
  });
});
