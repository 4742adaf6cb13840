// Tenancy: every field of every issuer that names another resource must name one of the caller's
// own creator, else 404 not_found (never 403, never a hint that it exists), and nothing is written.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { db } from '../functions/src/store/firestore.ts';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, uid, WEBHOOK_SECRET, type CreatorFixture } from './helpers.ts';

const pay = (body: Record<string, unknown>, secret = WEBHOOK_SECRET) => call('paymentWebhook', body, { headers: { 'x-webhook-secret': secret } });

async function licencesOf(creatorId: string) {
  return (await (await db()).collection('licenses').where('creatorId', '==', creatorId).get()).docs.map((d) => d.data());
}

function assertNotFound(r: { status: number; body: any; text: string }, what: string) {
  assert.equal(r.status, 404, `${what}: ${r.text}`);
  assert.ok(isErrorShape(r.body, 'not_found'), `${what}: ${r.text}`);
}

describe('tenancy: every issuer checks every resource it is named', () => {
  let a: CreatorFixture;
  let b: CreatorFixture;
  let aApp: string;
  let aOther: string;
  let bApp: string;
  let bCode: string;
  let bTrial: string;
  let aTrial: string;
  let aSecret: string;

  before(async () => {
    [a, b] = await Promise.all([newCreator('tenant-a'), newCreator('tenant-b')]);
    [aApp, aOther, bApp] = await Promise.all([newProduct(a), newProduct(a), newProduct(b)]);
    bCode = uid('BCODE').toUpperCase();
    bTrial = uid('BTRIAL').toUpperCase();
    aTrial = uid('ATRIAL').toUpperCase();
    for (const [c, body] of [
      [b, { code: bCode, type: 'percent', percentOff: 20 }],
      [b, { code: bTrial, type: 'trial', trialDays: 30, productId: bApp }],
      [a, { code: aTrial, type: 'trial', trialDays: 7 }],
    ] as const) {
      const r = await asCreator(c.apiKey, 'createDiscountCode', body);
      assert.equal(r.status, 200, r.text);
    }
    const v = await asCreator(b.apiKey, 'createVariant', { productId: bApp, name: 'Studio', maxMachines: 50 });
    assert.equal(v.status, 200, v.text);
    const s = await asCreator(a.apiKey, 'createWebhookSecret', { name: 'relay' });
    assert.equal(s.status, 200, s.text);
    aSecret = s.body.webhookSecret;
  });

  it("createLicense refuses another creator's product in unlockedProducts, and writes nothing", async () => {
    const r = await asCreator(a.apiKey, 'createLicense', { email: 'x@y.co', productId: aApp, unlockedProducts: [bApp] });
    assertNotFound(r, 'unlockedProducts');
    assert.doesNotMatch(r.body.error, new RegExp(b.creatorId), 'no hint of the owner');
    // An unknown product reads exactly like another creator's.
    const unknown = await asCreator(a.apiKey, 'createLicense', { email: 'x@y.co', productId: aApp, unlockedProducts: [uid('nope')] });
    assertNotFound(unknown, 'unknown unlocked product');
    assert.equal(r.body.error.replace(bApp, 'X'), unknown.body.error.replace(/nope-[0-9a-f]+/, 'X'));
    // Mixed with an own product, the one foreign product still refuses the whole licence.
    assertNotFound(await asCreator(a.apiKey, 'createLicense', { email: 'x@y.co', productId: aApp, unlockedProducts: [aOther, bApp] }), 'mixed');
    // The super admin cannot bundle products of two creators either.
    assertNotFound(await asAdmin('createLicense', { email: 'x@y.co', productId: aApp, unlockedProducts: [bApp] }), 'super admin');
    assert.equal((await licencesOf(a.creatorId)).filter((l) => l.email === 'x@y.co').length, 0);
  });

  it("a licence unlocking the creator's own product works for it, and for nothing else", async () => {
    const r = await asCreator(a.apiKey, 'createLicense', { email: 'bundle@y.co', productId: aApp, unlockedProducts: [aOther, aOther] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.license.unlockedProducts, [aOther]);
    const ip = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const act = await call('activate', { licenseKey: r.body.licenseKey, machineFingerprint: uid('m'), productId: aOther }, { ip });
    assert.equal(act.status, 200, act.text);
    const foreign = await call('activate', { licenseKey: r.body.licenseKey, machineFingerprint: uid('m'), productId: bApp }, { ip });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.code, 'wrong_product');
  });

  it("createLicense refuses another creator's product, variant or discount code", async () => {
    assertNotFound(await asCreator(a.apiKey, 'createLicense', { email: 'x@y.co', productId: bApp }), 'productId');
    assertNotFound(await asCreator(a.apiKey, 'createLicense', { email: 'x@y.co', productId: aApp, variant: 'studio' }), 'variant');
    assertNotFound(await asCreator(a.apiKey, 'createLicense', { email: 'x@y.co', productId: aApp, discountCode: bCode }), 'discountCode');
    assertNotFound(await asAdmin('createLicense', { email: 'x@y.co', productId: aApp, discountCode: bCode }), 'discountCode (super admin)');
    const codes = (await asCreator(b.apiKey, 'listDiscountCodes')).body.codes;
    assert.equal(codes.find((c: any) => c.code === bCode).usedCount, 0, "B's code counted no use");
    assert.equal((await licencesOf(a.creatorId)).filter((l) => l.email === 'x@y.co').length, 0);
  });

  it("a purchase refuses another creator's product or variant, and never counts another creator's code", async () => {
    const theirs = { type: 'purchase.completed', email: 'p@y.co', productId: bApp, purchaseId: uid('o') };
    assertNotFound(await pay(theirs, aSecret), "a creator secret on B's product");
    assertNotFound(await pay({ ...theirs, productId: aApp, variant: 'studio' }, aSecret), "B's variant");
    assertNotFound(await pay({ ...theirs, productId: aApp, variant: 'studio' }), "B's variant (platform secret)");
    // A code name the product's creator does not have is the provider's: recorded, never looked up
    // among other creators' codes (the sale happened, so the licence is issued).
    const r = await pay({ ...theirs, productId: aApp, purchaseId: uid('o'), discountCode: bTrial }, aSecret);
    assert.equal(r.status, 200, r.text);
    const l = (await asCreator(a.apiKey, 'getLicense', { licenseKey: r.body.licenseKey })).body.license;
    assert.deepEqual([l.discountCode, l.trial, l.expiresAt], [bTrial, false, null], "B's 30-day trial code sets no term");
    const codes = (await asCreator(b.apiKey, 'listTrialCodes')).body.codes;
    assert.equal(codes.find((c: any) => c.code === bTrial).usedCount, 0);
    assert.equal((await licencesOf(a.creatorId)).filter((x) => x.productId === bApp).length, 0);
  });

  it("redeemTrialCode refuses another creator's code or product", async () => {
    assertNotFound(await asCreator(a.apiKey, 'redeemTrialCode', { code: bTrial, email: 't@y.co' }), "B's code");
    assertNotFound(await asCreator(a.apiKey, 'redeemTrialCode', { code: bTrial, email: 't@y.co', productId: bApp }), "B's code and product");
    assertNotFound(await asCreator(a.apiKey, 'redeemTrialCode', { code: aTrial, email: 't@y.co', productId: bApp }), "own code, B's product");
    assertNotFound(await asCreator(a.apiKey, 'redeemTrialCode', { code: aTrial, email: 't@y.co', productId: aApp, creatorId: b.creatorId }), "B's creatorId");
    assertNotFound(await asAdmin('redeemTrialCode', { code: aTrial, email: 't@y.co', productId: bApp, creatorId: a.creatorId }), "super admin: B's product for A");
    assertNotFound(await asAdmin('redeemTrialCode', { code: bTrial, email: 't@y.co', creatorId: a.creatorId }), "super admin: B's code for A");
    const ok = await asCreator(a.apiKey, 'redeemTrialCode', { code: aTrial, email: 't@y.co', productId: aApp });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await asCreator(b.apiKey, 'listTrialCodes')).body.codes.find((c: any) => c.code === bTrial).usedCount, 0);
  });

  it("codes and webhooks refuse another creator's productId", async () => {
    assertNotFound(await asCreator(a.apiKey, 'createDiscountCode', { code: uid('X'), type: 'trial', productId: bApp }), 'createDiscountCode');
    assertNotFound(await asCreator(a.apiKey, 'createTrialCode', { code: uid('X'), productId: bApp }), 'createTrialCode');
    assertNotFound(await asCreator(a.apiKey, 'updateDiscountCode', { code: aTrial, productId: bApp }), 'updateDiscountCode');
    assertNotFound(await asAdmin('createDiscountCode', { code: uid('X'), type: 'trial', productId: bApp, creatorId: a.creatorId }), 'super admin for A');
    // A loopback receiver (allowed only in the emulator) for an event nothing here raises.
    const hookFields = { url: 'http://127.0.0.1:9/hook', events: ['license.expired'] };
    assertNotFound(await asCreator(a.apiKey, 'createWebhook', { ...hookFields, productId: bApp }), 'createWebhook');
    const hook = await asCreator(a.apiKey, 'createWebhook', { ...hookFields, productId: aApp });
    assert.equal(hook.status, 200, hook.text);
    assertNotFound(await asCreator(a.apiKey, 'updateWebhook', { webhookId: hook.body.webhook.id, productId: bApp }), 'updateWebhook');
    assert.equal((await asCreator(a.apiKey, 'listWebhooks')).body.webhooks[0].productId, aApp, 'unchanged');
  });
});
