// Discount and trial codes: create (409 when taken within the creator), list, update, delete,
// CG's trial-code names over the same codes, redeemTrialCode (maxUses and one trial per email
// and product, also under concurrency), and createLicense counting a code's use.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { db } from '../functions/src/store/firestore.ts';
import { asAdmin, asCreator, isErrorShape, newCreator, newProduct, uid, type CreatorFixture } from './helpers.ts';

const DAY = 86400_000;
const code = () => uid('CODE').toUpperCase();

async function makeCode(c: CreatorFixture, fields: Record<string, unknown>): Promise<any> {
  const r = await asCreator(c.apiKey, 'createDiscountCode', { code: code(), type: 'trial', ...fields });
  assert.equal(r.status, 200, r.text);
  return r.body.code;
}

async function usedCount(c: CreatorFixture, name: string): Promise<number> {
  const r = await asCreator(c.apiKey, 'listDiscountCodes', {});
  return r.body.codes.find((x: any) => x.code === name).usedCount;
}

describe('createDiscountCode and createTrialCode', () => {
  it('creates trial, percent and fixed codes with the contract defaults', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const name = code();
    const trial = await asCreator(c.apiKey, 'createDiscountCode', { code: name, type: 'trial' });
    assert.equal(trial.status, 200, trial.text);
    assert.deepEqual(
      { ...trial.body.code, createdAt: undefined, updatedAt: undefined },
      { code: name, type: 'trial', productId: null, trialDays: 14, percentOff: null, amountOffCents: null, maxUses: -1, usedCount: 0, active: true, expiresAt: null, creatorId: c.creatorId, createdAt: undefined, updatedAt: undefined },
    );
    const percent = await asCreator(c.apiKey, 'createDiscountCode', { code: code(), type: 'percent', percentOff: 20, productId, maxUses: 100 });
    assert.equal(percent.body.code.percentOff, 20);
    assert.equal(percent.body.code.trialDays, null);
    assert.equal(percent.body.code.productId, productId);
    assert.equal(percent.body.code.maxUses, 100);
    const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
    const fixed = await asCreator(c.apiKey, 'createDiscountCode', { code: code(), type: 'fixed', amountOffCents: 500, expiresAt, active: false });
    assert.equal(fixed.body.code.amountOffCents, 500);
    assert.equal(fixed.body.code.expiresAt, expiresAt);
    assert.equal(fixed.body.code.active, false);
    const viaTrialName = await asCreator(c.apiKey, 'createTrialCode', { code: code(), trialDays: 7, productId });
    assert.equal(viaTrialName.status, 200, viaTrialName.text);
    assert.equal(viaTrialName.body.code.type, 'trial');
    assert.equal(viaTrialName.body.code.trialDays, 7);
  });

  it('answers a code taken within the creator (in any case) with 409; other creators may use the name', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const name = code();
    await makeCode(a, { code: name });
    for (const again of [name, name.toLowerCase()]) {
      const r = await asCreator(a.apiKey, 'createTrialCode', { code: again });
      assert.equal(r.status, 409);
      assert.ok(isErrorShape(r.body, 'conflict'));
    }
    assert.equal((await asCreator(b.apiKey, 'createDiscountCode', { code: name, type: 'percent', percentOff: 5 })).status, 200);
  });

  it('refuses bad input (400) and another creator’s product (404); the super admin names the creator', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const pb = await newProduct(b);
    for (const body of [
      { type: 'trial' },
      { code: code() },
      { code: code(), type: 'bogo' },
      { code: code(), type: 'percent' },
      { code: code(), type: 'percent', percentOff: 101 },
      { code: code(), type: 'fixed' },
      { code: code(), type: 'fixed', amountOffCents: -5 },
      { code: code(), type: 'trial', trialDays: 0 },
      { code: code(), type: 'trial', maxUses: 0 },
      { code: 'has space', type: 'trial' },
      { code: code(), type: 'trial', expiresAt: new Date(Date.now() - DAY).toISOString() },
      { code: code(), type: 'trial', active: 'yes please' },
    ]) {
      const r = await asCreator(a.apiKey, 'createDiscountCode', body);
      assert.equal(r.status, 400, JSON.stringify(body) + r.text);
      assert.ok(isErrorShape(r.body, 'invalid_request'));
    }
    assert.equal((await asCreator(a.apiKey, 'createTrialCode', { trialDays: 3 })).status, 400);
    assert.equal((await asCreator(a.apiKey, 'createDiscountCode', { code: code(), type: 'trial', productId: pb })).status, 404);
    assert.equal((await asAdmin('createDiscountCode', { code: code(), type: 'trial' })).status, 400, 'the super admin must name a creator');
    const viaProduct = await asAdmin('createDiscountCode', { code: code(), type: 'trial', productId: pb });
    assert.equal(viaProduct.body.code.creatorId, b.creatorId);
    const viaCreator = await asAdmin('createTrialCode', { code: code(), creatorId: a.creatorId });
    assert.equal(viaCreator.body.code.creatorId, a.creatorId);
  });
});

describe('listDiscountCodes and listTrialCodes', () => {
  it("lists the creator's own codes; productId narrows to the codes that apply to it; the trial names list trials only", async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const p1 = await newProduct(a);
    const p2 = await newProduct(a);
    const any = await makeCode(a, {});
    const forP1 = await makeCode(a, { type: 'percent', percentOff: 10, productId: p1 });
    const forP2 = await makeCode(a, { productId: p2 });
    await makeCode(b, {});
    const all = await asCreator(a.apiKey, 'listDiscountCodes', {}, { method: 'GET', query: { apiKey: a.apiKey } });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.body.codes.map((x: any) => x.code), [any.code, forP1.code, forP2.code]);
    const p1Codes = await asCreator(a.apiKey, 'listDiscountCodes', { productId: p1 });
    assert.deepEqual(p1Codes.body.codes.map((x: any) => x.code), [any.code, forP1.code]);
    const trials = await asCreator(a.apiKey, 'listTrialCodes', {});
    assert.deepEqual(trials.body.codes.map((x: any) => x.code), [any.code, forP2.code]);
    assert.equal((await asCreator(b.apiKey, 'listDiscountCodes', { productId: p1 })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'listDiscountCodes', { creatorId: b.creatorId })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'listDiscountCodes', { productId: 'Not A Slug' })).status, 400);
    const superView = await asAdmin('listTrialCodes', { creatorId: a.creatorId });
    assert.deepEqual(superView.body.codes.map((x: any) => x.code), [any.code, forP2.code]);
  });
});

describe('updateDiscountCode and updateTrialCode', () => {
  it('changes settings, active included; usedCount is left alone', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const made = await makeCode(c, { maxUses: 3 });
    const r = await asCreator(c.apiKey, 'updateDiscountCode', { code: made.code.toLowerCase(), active: false, maxUses: 10, trialDays: 30, productId });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.code.code, made.code, 'matched without regard to case; spelled as created');
    assert.equal(r.body.code.active, false);
    assert.equal(r.body.code.maxUses, 10);
    assert.equal(r.body.code.trialDays, 30);
    assert.equal(r.body.code.productId, productId);
    assert.equal(r.body.code.usedCount, 0);
    const cleared = await asCreator(c.apiKey, 'updateTrialCode', { code: made.code, productId: null, expiresAt: null, active: true });
    assert.equal(cleared.body.code.productId, null);
    assert.equal(cleared.body.code.active, true);
    const retyped = await asCreator(c.apiKey, 'updateDiscountCode', { code: made.code, type: 'percent', percentOff: 15 });
    assert.equal(retyped.body.code.type, 'percent');
    assert.equal(retyped.body.code.trialDays, null);
  });

  it('refuses bad input (400); unknown, foreign or (through the trial names) non-trial codes are 404', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const trial = await makeCode(a, {});
    const percent = await makeCode(a, { type: 'percent', percentOff: 10 });
    assert.equal((await asCreator(a.apiKey, 'updateDiscountCode', { code: trial.code })).status, 400, 'no field to change');
    assert.equal((await asCreator(a.apiKey, 'updateDiscountCode', { code: trial.code, type: 'fixed' })).status, 400, 'a fixed code needs amountOffCents');
    assert.equal((await asCreator(a.apiKey, 'updateDiscountCode', { code: trial.code, maxUses: 'lots' })).status, 400);
    assert.equal((await asCreator(a.apiKey, 'updateDiscountCode', { active: false })).status, 400);
    assert.equal((await asCreator(a.apiKey, 'updateDiscountCode', { code: code(), active: false })).status, 404);
    assert.equal((await asCreator(b.apiKey, 'updateDiscountCode', { code: trial.code, active: false })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'updateTrialCode', { code: percent.code, active: false })).status, 404);
    const list = await asCreator(a.apiKey, 'listDiscountCodes', {});
    assert.ok(list.body.codes.every((x: any) => x.active), 'nothing changed');
  });
});

describe('deleteDiscountCode and deleteTrialCode', () => {
  it('deletes a code; deleting it again, a foreign one or (through the trial names) a non-trial one is 404', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const trial = await makeCode(a, {});
    const percent = await makeCode(a, { type: 'percent', percentOff: 10 });
    assert.equal((await asCreator(b.apiKey, 'deleteDiscountCode', { code: trial.code })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'deleteTrialCode', { code: percent.code })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'deleteDiscountCode', {})).status, 400);
    const r = await asCreator(a.apiKey, 'deleteTrialCode', { code: trial.code });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { success: true });
    assert.equal((await asCreator(a.apiKey, 'deleteTrialCode', { code: trial.code })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'deleteDiscountCode', { code: percent.code })).status, 200);
    assert.deepEqual((await asCreator(a.apiKey, 'listDiscountCodes', {})).body.codes, []);
    const again = await asCreator(a.apiKey, 'createTrialCode', { code: trial.code, maxUses: 1 });
    assert.equal(again.status, 200, 'the name is free again');
    assert.equal(again.body.code.usedCount, 0);
  });
});

describe('redeemTrialCode', () => {
  it('issues a trial licence expiring after trialDays and counts the use', async () => {
    const c = await newCreator();
    const productId = await newProduct(c, { maxMachines: 2 });
    const made = await makeCode(c, { trialDays: 10, productId });
    const r = await asCreator(c.apiKey, 'redeemTrialCode', { code: made.code.toLowerCase(), email: 'Tryer@Example.com' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.success, true);
    assert.ok(Math.abs(Date.parse(r.body.expiresAt) - (Date.now() + 10 * DAY)) < 60_000);
    const got = await asCreator(c.apiKey, 'getLicense', { licenseKey: r.body.licenseKey });
    assert.equal(got.body.license.trial, true);
    assert.equal(got.body.license.discountCode, made.code);
    assert.equal(got.body.license.email, 'tryer@example.com');
    assert.equal(got.body.license.productId, productId);
    assert.equal(got.body.license.maxMachines, 2, "the product's terms");
    assert.equal(got.body.license.expiresAt, r.body.expiresAt);
    assert.equal(await usedCount(c, made.code), 1);
  });

  it('needs productId for a code that applies to every product, and takes any of the creator’s', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const p1 = await newProduct(a);
    const p2 = await newProduct(a);
    const pb = await newProduct(b);
    const made = await makeCode(a, {});
    const missing = await asCreator(a.apiKey, 'redeemTrialCode', { code: made.code, email: 'x@example.com' });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error, /productId/);
    for (const productId of [p1, p2]) {
      const r = await asCreator(a.apiKey, 'redeemTrialCode', { code: made.code, email: 'x@example.com', productId });
      assert.equal(r.status, 200, r.text);
    }
    assert.equal((await asCreator(a.apiKey, 'redeemTrialCode', { code: made.code, email: 'y@example.com', productId: pb })).status, 404);
    assert.equal((await asAdmin('redeemTrialCode', { code: made.code, email: 'z@example.com', productId: p1 })).status, 200, 'the super admin, through the product');
  });

  it('refuses unknown (404), inactive, expired, non-trial or wrong-product codes (400), and repeats (409)', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const productId = await newProduct(a);
    const other = await newProduct(a);
    const good = await makeCode(a, { productId, maxUses: 1 });
    const inactive = await makeCode(a, { productId, active: false });
    const expiring = await makeCode(a, { productId, expiresAt: new Date(Date.now() + DAY).toISOString() });
    await asCreator(a.apiKey, 'updateTrialCode', { code: expiring.code, expiresAt: new Date(Date.now() - 1000).toISOString() });
    const percent = await makeCode(a, { type: 'percent', percentOff: 10 });
    const cases: [Record<string, unknown>, number, RegExp?][] = [
      [{ code: code(), email: 'a@example.com', productId }, 404],
      [{ code: inactive.code, email: 'a@example.com' }, 400, /not active/],
      [{ code: expiring.code, email: 'a@example.com' }, 400, /expired/],
      [{ code: percent.code, email: 'a@example.com', productId }, 400, /not a trial code/],
      [{ code: good.code, email: 'a@example.com', productId: other }, 400, /not for product/],
      [{ code: good.code, email: 'not-an-email' }, 400],
      [{ email: 'a@example.com' }, 400],
      [{ code: good.code }, 400],
    ];
    for (const [body, status, message] of cases) {
      const r = await asCreator(a.apiKey, 'redeemTrialCode', body);
      assert.equal(r.status, status, JSON.stringify(body) + r.text);
      if (message) assert.match(r.body.error, message);
    }
    assert.equal((await asCreator(b.apiKey, 'redeemTrialCode', { code: good.code, email: 'a@example.com' })).status, 404, "another creator's code");
    assert.equal((await asCreator(a.apiKey, 'redeemTrialCode', { code: good.code, email: 'a@example.com' })).status, 200);
    const twice = await asCreator(a.apiKey, 'redeemTrialCode', { code: good.code, email: 'a@example.com' });
    assert.equal(twice.status, 409);
    assert.match(twice.body.error, /already had a trial/);
    const usedUp = await asCreator(a.apiKey, 'redeemTrialCode', { code: good.code, email: 'b@example.com' });
    assert.equal(usedUp.status, 409);
    assert.match(usedUp.body.error, /used up/);
    const anotherCode = await makeCode(a, { productId });
    const sameEmail = await asCreator(a.apiKey, 'redeemTrialCode', { code: anotherCode.code, email: 'a@example.com' });
    assert.equal(sameEmail.status, 409, 'one trial per email and product, whatever the code');
    assert.equal(await usedCount(a, good.code), 1);
    assert.equal(await usedCount(a, anotherCode.code), 0);
  });

  it('holds maxUses under 20 simultaneous redemptions: exactly 5 succeed, the rest are refused, none fails', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const made = await makeCode(c, { productId, maxUses: 5 });
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => asCreator(c.apiKey, 'redeemTrialCode', { code: made.code, email: `racer${i}@example.com` })),
    );
    const statuses = replies.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 5, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 409).length, 15, statuses.join(','));
    assert.ok(replies.filter((r) => r.status === 409).every((r) => isErrorShape(r.body, 'conflict')));
    assert.equal(await usedCount(c, made.code), 5);
    const issued = await (await db()).collection('licenses').where('productId', '==', productId).get();
    assert.equal(issued.size, 5);
    const more = await asCreator(c.apiKey, 'redeemTrialCode', { code: made.code, email: 'late@example.com' });
    assert.equal(more.status, 409, 'still used up afterwards');
    await asCreator(c.apiKey, 'updateTrialCode', { code: made.code, maxUses: 6 });
    assert.equal((await asCreator(c.apiKey, 'redeemTrialCode', { code: made.code, email: 'late@example.com' })).status, 200, 'a raised limit admits exactly one more');
    assert.equal((await asCreator(c.apiKey, 'redeemTrialCode', { code: made.code, email: 'later@example.com' })).status, 409);
  });

  it('gives one email one trial of a product when it redeems many times at once', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const made = await makeCode(c, { productId });
    const replies = await Promise.all(Array.from({ length: 8 }, () => asCreator(c.apiKey, 'redeemTrialCode', { code: made.code, email: 'same@example.com' })));
    const statuses = replies.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 409).length, 7, statuses.join(','));
    assert.equal(await usedCount(c, made.code), 1);
    const issued = await (await db()).collection('licenses').where('productId', '==', productId).get();
    assert.equal(issued.size, 1);
  });
});

describe('createLicense with discountCode', () => {
  it('records the code and counts one use per licence, not per repeated purchase', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const made = await makeCode(c, { type: 'percent', percentOff: 25, productId, maxUses: 1 });
    const purchaseId = uid('order');
    const r = await asCreator(c.apiKey, 'createLicense', { email: 'a@example.com', productId, discountCode: made.code.toLowerCase(), purchaseId });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.license.discountCode, made.code);
    assert.equal(r.body.license.trial, false);
    const again = await asCreator(c.apiKey, 'createLicense', { email: 'a@example.com', productId, discountCode: made.code, purchaseId });
    assert.equal(again.body.licenseKey, r.body.licenseKey);
    assert.equal(await usedCount(c, made.code), 1);
    const past = await asCreator(c.apiKey, 'createLicense', { email: 'b@example.com', productId, discountCode: made.code });
    assert.equal(past.status, 200, 'a purchase that happened is licensed even past the code’s limit');
    assert.equal(await usedCount(c, made.code), 2);
  });

  it('answers a code unknown to the creator or for another product with 404', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const p1 = await newProduct(a);
    const p2 = await newProduct(a);
    const forP1 = await makeCode(a, { productId: p1 });
    const ofB = await makeCode(b, {});
    for (const [productId, discountCode] of [[p2, forP1.code], [p1, ofB.code], [p1, code()]] as const) {
      const r = await asCreator(a.apiKey, 'createLicense', { email: 'a@example.com', productId, discountCode });
      assert.equal(r.status, 404, r.text);
      assert.ok(isErrorShape(r.body, 'not_found'));
    }
    assert.equal(await usedCount(a, forP1.code), 0);
  });
});
