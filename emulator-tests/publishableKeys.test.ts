// Publishable keys (pk_live_…) through HTTP: made, listed and revoked per product; a product that
// requires one refuses client calls without it, or with another product's or a revoked one (401).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, machine } from './clientHelpers.ts';
import { asCreator, call, isErrorShape, newCreator, newProduct } from './helpers.ts';

const app = client();
const withKey = (pk: string) => ({ 'x-publishable-key': pk });

describe('publishable keys', () => {
  it('are made, listed and revoked per product, within the creator', async () => {
    const c = await newCreator('pk');
    const other = await newCreator('pk');
    const productId = await newProduct(c);
    const made = await asCreator(c.apiKey, 'createPublishableKey', { productId });
    assert.equal(made.status, 200, made.text);
    const pk = made.body.publishableKey;
    assert.match(pk.key, /^pk_live_[A-Za-z0-9_-]{20,}$/);
    assert.equal(pk.productId, productId);
    assert.equal((await asCreator(other.apiKey, 'createPublishableKey', { productId })).status, 404);
    assert.equal((await asCreator(other.apiKey, 'listPublishableKeys', { productId })).status, 404);
    assert.equal((await asCreator(other.apiKey, 'revokePublishableKey', { key: pk.key })).status, 404);

    const listed = await asCreator(c.apiKey, 'listPublishableKeys', { productId });
    assert.deepEqual(listed.body.publishableKeys.map((k: any) => [k.key, k.revoked]), [[pk.key, false]]);
    const revoked = await asCreator(c.apiKey, 'revokePublishableKey', { key: pk.key });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal((await asCreator(c.apiKey, 'listPublishableKeys', { productId })).body.publishableKeys[0].revoked, true);
    assert.equal((await asCreator(c.apiKey, 'revokePublishableKey', { key: 'pk_live_nothing-like-this-exists' })).status, 404);
  });

  it('when a product requires one, client calls need its own live key (else 401)', async () => {
    const c = await newCreator('pk');
    const productId = await newProduct(c, { requirePublishableKey: true, maxMachines: 3 });
    const otherProduct = await newProduct(c);
    const licenseKey = (await asCreator(c.apiKey, 'createLicense', { email: 'a@example.com', productId })).body.licenseKey;
    const pk = (await asCreator(c.apiKey, 'createPublishableKey', { productId })).body.publishableKey.key;
    const foreign = (await asCreator(c.apiKey, 'createPublishableKey', { productId: otherProduct })).body.publishableKey.key;
    const fp = machine();
    const activateBody = { licenseKey, machineFingerprint: fp, productId };

    for (const headers of [{}, withKey(foreign), withKey('pk_live_made-up-key-0000000000'), withKey('nonsense')]) {
      const r = await call('activate', activateBody, { headers });
      assert.equal(r.status, 401, `${JSON.stringify(headers)}: ${r.text}`);
      assert.ok(isErrorShape(r.body, 'unauthorized'));
    }
    // Credentials come before the schema: a bad body without the key is still 401.
    assert.equal((await call('activate', { licenseKey }, {})).status, 401);
    const verifyWithout = await call('verify', { licenseKey });
    assert.equal(verifyWithout.status, 401);
    assert.equal(verifyWithout.body.valid, false);

    // Every way an app may send it: the header, the body, Paperkey's Bearer and x-api-key.
    const ok = await call('activate', activateBody, { headers: withKey(pk) });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await call('verify', { licenseKey, publishableKey: pk })).status, 200);
    assert.equal((await call('verify', { licenseKey }, { headers: { authorization: `Bearer ${pk}` } })).status, 200);
    assert.equal((await call('verify', { licenseKey }, { headers: { 'x-api-key': pk } })).status, 200);
    // validate names the licence only through its token: the token's licence decides.
    const v = await call('validate', { token: ok.body.token, machineFingerprint: fp }, { headers: withKey(pk) });
    assert.equal(v.status, 200, v.text);
    assert.equal((await call('validate', { token: ok.body.token, machineFingerprint: fp })).status, 401);
    assert.equal((await call('deactivate', { licenseKey, machineFingerprint: fp })).status, 401);
    // Every way a client call names the licence is judged: by key and fingerprint, by activation
    // id, by heartbeat; and a refused call changes nothing.
    assert.equal((await call('validate', { licenseKey, machineFingerprint: fp })).status, 401);
    assert.equal((await call('verify', { licenseKey, activationId: ok.body.activationId })).status, 401);
    assert.equal((await call('deactivate', { licenseKey, activationId: ok.body.activationId })).status, 401);
    assert.equal((await call('heartbeat', { licenseKey, machineFingerprint: fp })).status, 401);
    assert.equal((await call('activate', { ...activateBody, machineFingerprint: machine() })).status, 401);
    assert.equal((await asCreator(c.apiKey, 'getLicense', { licenseKey })).body.license.machinesUsed, 1);
    assert.equal((await call('heartbeat', { licenseKey, machineFingerprint: fp }, { headers: withKey(pk) })).status, 200);

    // Revoked: refused from the next request on.
    assert.equal((await asCreator(c.apiKey, 'revokePublishableKey', { key: pk })).status, 200);
    assert.equal((await call('verify', { licenseKey }, { headers: withKey(pk) })).status, 401);
  });

  it('a product that does not require one still refuses a wrong key, and takes none', async () => {
    const c = await newCreator('pk');
    const productId = await newProduct(c);
    const otherProduct = await newProduct(c);
    const licenseKey = (await asCreator(c.apiKey, 'createLicense', { email: 'a@example.com', productId })).body.licenseKey;
    const foreign = (await asCreator(c.apiKey, 'createPublishableKey', { productId: otherProduct })).body.publishableKey.key;
    assert.equal((await app('verify', { licenseKey })).status, 200);
    assert.equal((await call('verify', { licenseKey }, { headers: withKey(foreign) })).status, 401);
    // Turning the requirement on applies within the settings cache's minute; here a fresh product shows it at once.
    const strict = await newProduct(c, { requirePublishableKey: true });
    assert.equal((await asCreator(c.apiKey, 'listProducts', {})).body.products.find((p: any) => p.productId === strict).requirePublishableKey, true);
  });
});
