// Test mode through HTTP: sk_test_ keys make sandbox licences, which live keys never see (404) and
// vice versa, which are listed only when asked, count in no stats, and take pk_test_ keys only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { asPerson, newOwner } from './accountHelpers.ts';
import { client, machine } from './clientHelpers.ts';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, type CreatorFixture } from './helpers.ts';

const app = client();
const today = new Date().toISOString().slice(0, 10);

async function testKey(c: { creatorId: string }): Promise<string> {
  const r = await asAdmin('createApiKey', { creatorId: c.creatorId, name: 'test mode', mode: 'test' });
  assert.equal(r.status, 200, r.text);
  assert.match(r.body.apiKey, /^sk_test_/);
  assert.equal(r.body.mode, 'test');
  return r.body.apiKey;
}

async function licenseWith(apiKey: string, productId: string): Promise<any> {
  const r = await asCreator(apiKey, 'createLicense', { email: 'buyer@example.com', productId });
  assert.equal(r.status, 200, r.text);
  return r.body.license;
}

describe('test mode', () => {
  it('keeps sandbox and live licences apart: each mode sees only its own (404 for the other)', async () => {
    const c: CreatorFixture = await newCreator('testmode');
    const sk = await testKey(c);
    const productId = await newProduct(c);
    const sandbox = await licenseWith(sk, productId);
    const live = await licenseWith(c.apiKey, productId);
    assert.equal(sandbox.sandbox, true);
    assert.equal(live.sandbox, false);

    assert.equal((await asCreator(sk, 'getLicense', { licenseKey: sandbox.licenseKey })).status, 200);
    assert.equal((await asCreator(c.apiKey, 'getLicense', { licenseKey: live.licenseKey })).status, 200);
    for (const [key, licenseKey] of [
      [c.apiKey, sandbox.licenseKey],
      [sk, live.licenseKey],
    ]) {
      for (const name of ['getLicense', 'revokeLicense', 'updateLicense', 'resetActivations']) {
        const r = await asCreator(key!, name, { licenseKey, maxMachines: 2 });
        assert.equal(r.status, 404, `${name}: ${r.text}`);
        assert.ok(isErrorShape(r.body, 'not_found'));
      }
    }
    assert.equal((await asCreator(c.apiKey, 'getLicense', { licenseKey: sandbox.licenseKey })).body.license, undefined);
    assert.equal((await asCreator(sk, 'getLicense', { licenseKey: sandbox.licenseKey })).body.license.status, 'active', 'nothing was revoked');

    // Listings: live by default; sandbox only when asked, and never to a live key.
    const liveList = await asCreator(c.apiKey, 'listLicenses', { productId });
    assert.deepEqual(liveList.body.licenses.map((l: any) => l.licenseKey), [live.licenseKey]);
    assert.equal((await asCreator(c.apiKey, 'listLicenses', { productId, sandbox: true })).status, 404);
    const testList = await asCreator(sk, 'listLicenses', { productId });
    assert.deepEqual(testList.body.licenses.map((l: any) => l.licenseKey), [sandbox.licenseKey]);
    assert.deepEqual((await asCreator(sk, 'listLicenses', { purchaseId: 'none' })).body.licenses, []);

    // The creator's people (the console) see live data, and the sandbox when they ask for it.
    const owner = await newOwner('testmode');
    const ownerProduct = uid();
    assert.equal((await asPerson(owner, 'createProduct', { name: 'Console app', slug: ownerProduct })).status, 200);
    const ownerTestKey = await testKey(owner);
    const ownerSandbox = await licenseWith(ownerTestKey, ownerProduct);
    assert.deepEqual((await asPerson(owner, 'listLicenses', { productId: ownerProduct })).body.licenses, []);
    assert.deepEqual((await asPerson(owner, 'listLicenses', { productId: ownerProduct, sandbox: true })).body.licenses.map((l: any) => l.licenseKey), [ownerSandbox.licenseKey]);
  });

  it('counts sandbox licences and their machines in no stats', async () => {
    const c = await newCreator('testmode');
    const sk = await testKey(c);
    const productId = await newProduct(c, { maxMachines: 3 });
    const stats = async () => (await asCreator(c.apiKey, 'getStats', { from: today, to: today })).body.totals;
    const sandbox = await licenseWith(sk, productId);
    const fp = machine();
    assert.equal((await app('activate', { licenseKey: sandbox.licenseKey, machineFingerprint: fp, productId })).status, 200);
    assert.equal((await app('activate', { licenseKey: sandbox.licenseKey, machineFingerprint: machine(), productId })).status, 200);
    let totals = await stats();
    assert.equal(totals.licensesIssued, 0);
    assert.equal(totals.activeMachines, 0);
    const live = await licenseWith(c.apiKey, productId);
    assert.equal((await app('activate', { licenseKey: live.licenseKey, machineFingerprint: machine(), productId })).status, 200);
    totals = await stats();
    assert.equal(totals.licensesIssued, 1);
    assert.equal(totals.activeMachines, 1);
    // The test key's own view of stats is the same: the sandbox never counts.
    assert.equal((await asCreator(sk, 'getStats', { from: today, to: today })).body.totals.licensesIssued, 1);
  });

  it('imports into the sandbox, refuses the same key to the live mode, and spends no live trial code', async () => {
    const c = await newCreator('testmode');
    const sk = await testKey(c);
    const productId = await newProduct(c);
    const key = `OLD-${randomBytes(6).toString('hex').toUpperCase()}`;
    const row = { licenseKey: key, email: 'x@example.com', productId };
    assert.equal((await asCreator(sk, 'importLicenses', { licenses: [row] })).body.results[0].result, 'created');
    assert.equal((await asCreator(sk, 'importLicenses', { licenses: [row] })).body.results[0].result, 'existing');
    const live = await asCreator(c.apiKey, 'importLicenses', { licenses: [row] });
    assert.equal(live.body.results[0].code, 'key_taken', live.text);
    assert.equal((await asCreator(sk, 'getLicense', { licenseKey: key })).body.license.sandbox, true);

    assert.equal((await asCreator(c.apiKey, 'createDiscountCode', { code: 'TRY-IT', type: 'trial', productId })).status, 200);
    const redeem = await asCreator(sk, 'redeemTrialCode', { code: 'TRY-IT', email: 'y@example.com', productId });
    assert.equal(redeem.status, 403, redeem.text);
    assert.equal((await asCreator(c.apiKey, 'redeemTrialCode', { code: 'TRY-IT', email: 'y@example.com', productId })).status, 200, 'the live trial is still there');
  });

  it('takes pk_test_ keys with sandbox licences only, and pk_live_ keys with live ones only', async () => {
    const c = await newCreator('testmode');
    const sk = await testKey(c);
    const productId = await newProduct(c, { requirePublishableKey: true });
    const sandbox = await licenseWith(sk, productId);
    const live = await licenseWith(c.apiKey, productId);
    const pkTest = (await asCreator(sk, 'createPublishableKey', { productId, mode: 'live' })).body.publishableKey;
    assert.match(pkTest.key, /^pk_test_/, 'a test API key makes test publishable keys only');
    const pkLive = (await asCreator(c.apiKey, 'createPublishableKey', { productId })).body.publishableKey;
    assert.match(pkLive.key, /^pk_live_/);
    const verify = (licenseKey: string, pk: string) => call('verify', { licenseKey }, { headers: { 'x-publishable-key': pk } });
    assert.equal((await verify(sandbox.licenseKey, pkTest.key)).status, 200);
    assert.equal((await verify(live.licenseKey, pkLive.key)).status, 200);
    assert.equal((await verify(sandbox.licenseKey, pkLive.key)).status, 401);
    assert.equal((await verify(live.licenseKey, pkTest.key)).status, 401);
    const listed = await asCreator(c.apiKey, 'listPublishableKeys', { productId });
    assert.deepEqual(listed.body.publishableKeys.map((k: any) => k.mode).sort(), ['live', 'test']);
  });

  it('lists test keys with their mode', async () => {
    const c = await newCreator('testmode');
    await testKey(c);
    const keys = (await asCreator(c.apiKey, 'listApiKeys', {})).body.apiKeys;
    assert.deepEqual(keys.map((k: any) => k.mode).sort(), ['live', 'test']);
    assert.ok(keys.find((k: any) => k.mode === 'test').prefix.startsWith('sk_test_'));
    assert.equal((await asAdmin('createApiKey', { creatorId: c.creatorId, name: 'x', mode: 'staging' })).status, 400);
  });
});

function uid(): string {
  return `app-${randomBytes(5).toString('hex')}`;
}
