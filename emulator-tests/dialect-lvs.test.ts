// License Verification Server dialect (docs/reference/license-verification-server-api.txt,
// docs/dialects.md): /api/v1/pubkey, activate, verify (with a key or a cached token), deactivate and
// heartbeat, each with the tenant API key, through the Hosting emulator and at the function URLs;
// 409 for a full licence, 403 for a blocked device, 429 past the transfer limit, and every error
// as {"ok": false, "error": …}. Tokens are verified offline with the published key, as a client
// bundling it would.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { asAdmin, asCreator, BASE_URL, isErrorShape, newCreator, newProduct, uid, type CreatorFixture } from './helpers.ts';
import { at, isIsoTime } from './dialectHelpers.ts';

describe('License Verification Server dialect', () => {
  let c: CreatorFixture;
  let productId: string;
  const tenant = () => ({ authorization: `Bearer ${c.apiKey}` });

  before(async () => {
    c = await newCreator('lvs');
    productId = await newProduct(c, { slug: uid('my-app'), maxMachines: 2 });
  });

  async function license(fields: Record<string, unknown> = {}): Promise<string> {
    const r = await asCreator(c.apiKey, 'createLicense', { productId, email: 'buyer@example.com', ...fields });
    assert.equal(r.status, 200, r.text);
    return r.body.licenseKey;
  }

  function assertError(r: { status: number; body: any; text: string }, status: number): void {
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.ok, false, r.text);
    assert.equal(typeof r.body.error, 'string');
    assert.ok(r.body.error.length > 0);
  }

  /** Verifies an EdDSA JWT with the raw Ed25519 key /api/v1/pubkey publishes, as a bundled client does. */
  function verifiesOffline(token: string, publicKey: string): boolean {
    const [h, p, s] = token.split('.');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    return verifySignature(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s!, 'base64url'));
  }

  it('publishes the Ed25519 public key as documented, without a credential', async () => {
    const r = await at('/api/v1/pubkey', undefined, { method: 'GET' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.alg, 'ed25519');
    assert.equal(typeof r.body.kid, 'string');
    assert.match(r.body.public_key, /^[A-Za-z0-9_-]{43}$/, 'a raw 32-byte key, base64url');
    assert.ok(r.body.keys.some((k: any) => k.kid === r.body.kid && k.x === r.body.public_key));
    const fn = await at('/lvsPubkey', undefined, { base: BASE_URL, method: 'GET' });
    assert.deepEqual([fn.status, fn.body.kid], [200, r.body.kid]);
  });

  it('activates, verifies by key and by token, heartbeats and deactivates, as documented', async () => {
    const key = await license();
    const pub = (await at('/api/v1/pubkey', undefined, { method: 'GET' })).body;
    const act = await at('/api/v1/activate', { license_key: key, product_id: productId, machine_id: 'device-fingerprint-hash', machine_name: 'Work Laptop' }, { headers: tenant() });
    assert.equal(act.status, 200, act.text);
    assert.equal(act.body.ok, true);
    assert.ok(verifiesOffline(act.body.token, pub.public_key), 'the token verifies with the published key');
    assert.ok(isIsoTime(act.body.token_expires_at));
    assert.equal(act.body.product_id, productId);
    assert.deepEqual([act.body.seats_used, act.body.seats_total], [1, 2]);
    const got = await asCreator(c.apiKey, 'getLicense', { licenseKey: key });
    assert.equal(got.body.activations[0].hostname, 'Work Laptop');

    const byKey = await at('/api/v1/verify', { license_key: key, machine_id: 'device-fingerprint-hash' }, { headers: tenant() });
    assert.equal(byKey.status, 200, byKey.text);
    assert.equal(byKey.body.ok, true);
    assert.ok(verifiesOffline(byKey.body.token, pub.public_key));
    const byToken = await at('/lvsVerify', { token: act.body.token, machine_id: 'device-fingerprint-hash' }, { base: BASE_URL, headers: tenant() });
    assert.equal(byToken.status, 200, byToken.text);
    assert.equal(byToken.body.ok, true);
    assert.equal(byToken.body.product_id, productId);

    const beat = await at('/api/v1/heartbeat', { license_key: key, machine_id: 'device-fingerprint-hash' }, { headers: tenant() });
    assert.equal(beat.status, 200, beat.text);
    assert.equal(beat.body.ok, true);

    const off = await at('/api/v1/deactivate', { license_key: key, product_id: productId, machine_id: 'device-fingerprint-hash' }, { headers: tenant() });
    assert.equal(off.status, 200, off.text);
    assert.deepEqual(off.body, { ok: true, seats_used: 0, seats_total: 2 });

    // No activation now: verify and heartbeat are 403 as documented.
    assertError(await at('/api/v1/verify', { license_key: key, machine_id: 'device-fingerprint-hash' }, { headers: tenant() }), 403);
    assertError(await at('/api/v1/heartbeat', { license_key: key, machine_id: 'device-fingerprint-hash' }, { headers: tenant() }), 403);
  });

  it('answers 409 when the seats are full, 403 for a blocked device and 429 past the transfer limit', async () => {
    const key = await license({ maxMachines: 1, maxTransfers: 1 });
    const body = (machine: string) => ({ license_key: key, product_id: productId, machine_id: machine });
    assert.equal((await at('/api/v1/activate', body('a'), { headers: tenant() })).status, 200);
    assertError(await at('/api/v1/activate', body('b'), { headers: tenant() }), 409);

    // One transfer a month: the first deactivation frees the seat, the second is refused and changes nothing.
    assert.equal((await at('/api/v1/deactivate', body('a'), { headers: tenant() })).status, 200);
    assert.equal((await at('/api/v1/activate', body('b'), { headers: tenant() })).status, 200);
    const refused = await at('/api/v1/deactivate', body('b'), { headers: tenant() });
    assertError(refused, 429);
    assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal((await at('/api/v1/verify', body('b'), { headers: tenant() })).status, 200, 'the seat is still held');

    const blocked = await license();
    const act = await at('/api/v1/activate', { license_key: blocked, product_id: productId, machine_id: 'stolen' }, { headers: tenant() });
    assert.equal((await asCreator(c.apiKey, 'removeActivation', { licenseKey: blocked, activationId: act.body.activation_id, block: true })).status, 200);
    for (const path of ['/api/v1/activate', '/api/v1/verify', '/api/v1/heartbeat', '/api/v1/deactivate']) {
      assertError(await at(path, { license_key: blocked, product_id: productId, machine_id: 'stolen' }, { headers: tenant() }), 403);
    }
  });

  it('refuses a revoked licence (403), an unknown key (404) and a bad request (400)', async () => {
    const key = await license();
    assert.equal((await asCreator(c.apiKey, 'revokeLicense', { licenseKey: key })).status, 200);
    assertError(await at('/api/v1/activate', { license_key: key, product_id: productId, machine_id: 'm' }, { headers: tenant() }), 403);
    assertError(await at('/api/v1/activate', { license_key: 'NO-SUCH-KEY-1', product_id: productId, machine_id: 'm' }, { headers: tenant() }), 404);
    const bad = await at('/api/v1/activate', { license_key: key, product_id: productId }, { headers: tenant() });
    assertError(bad, 400);
    assert.match(bad.body.error, /machine_id/);
  });

  it('needs the tenant API key on every call, before the body, and only for its own licences', async () => {
    const key = await license();
    assertError(await at('/api/v1/activate', { nonsense: true }), 401);
    assertError(await at('/api/v1/verify', { license_key: key, machine_id: 'm' }, { headers: { authorization: 'Bearer sk_live_wrong' } }), 401);
    const stranger = await newCreator('lvs-other');
    const theirs = await at('/api/v1/activate', { license_key: key, product_id: productId, machine_id: 'm' }, { headers: { authorization: `Bearer ${stranger.apiKey}` } });
    assertError(theirs, 404);
    const got = await asCreator(c.apiKey, 'getLicense', { licenseKey: key });
    assert.equal(got.body.machinesUsed, 0, 'nothing was activated for another tenant');
    // A key imported in Seatkey's shape without its check value (another system's, as Permisoft's):
    // its tenant uses it; to another tenant it is the typo it would be (400), saying nothing of it.
    const shaped = 'OLDSYS-A3B7-K9D2-M4F8-42';
    const imported = await asCreator(c.apiKey, 'importLicenses', { licenses: [{ licenseKey: shaped, email: 'b@example.com', productId }] });
    assert.equal(imported.body.results[0].result, 'created', imported.text);
    const typo = await at('/api/v1/activate', { license_key: 'OLDSYS-A3B7-K9D2-M4F8-43', product_id: productId, machine_id: 'm' }, { headers: { authorization: `Bearer ${stranger.apiKey}` } });
    assertError(typo, 400);
    const strangers = await at('/api/v1/activate', { license_key: shaped, product_id: productId, machine_id: 'm' }, { headers: { authorization: `Bearer ${stranger.apiKey}` } });
    assert.deepEqual([strangers.status, strangers.body], [typo.status, typo.body]);
    const own = await at('/api/v1/activate', { license_key: shaped.toLowerCase(), product_id: productId, machine_id: 'm' }, { headers: { authorization: `Bearer ${c.apiKey}` } });
    assert.equal(own.status, 200, own.text);
    const narrow = await asAdmin('createApiKey', { creatorId: c.creatorId, name: 'read only', scopes: 'licenses:read' });
    assertError(await at('/api/v1/activate', { license_key: key, product_id: productId, machine_id: 'm' }, { headers: { authorization: `Bearer ${narrow.body.apiKey}` } }), 403);
    // The key an app ships: limited to clients:act, it activates, and reaches no admin call.
    const shipped = await asAdmin('createApiKey', { creatorId: c.creatorId, name: 'in the app', scopes: 'clients:act' });
    const bearer = { headers: { authorization: `Bearer ${shipped.body.apiKey}` } };
    assert.equal((await at('/api/v1/activate', { license_key: key, product_id: productId, machine_id: 'shipped' }, bearer)).status, 200);
    const admin = await asCreator(shipped.body.apiKey, 'getLicense', { licenseKey: key });
    assert.equal(admin.status, 403);
    assert.ok(isErrorShape(admin.body, 'insufficient_scope'));
  });
});
