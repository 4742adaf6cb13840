// The client against the real functions in the emulators (run through `npm test`): every
// method once, end to end, with keys bundled as `seatkey keys` fetches them. Skipped, saying
// why, only when the tests run without the emulators (a quick run of this package alone); a
// function the emulator failed to load answers 404, and that fails them.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  fetchPublicKeys,
  LicenseRevokedError,
  MachineLimitError,
  MemoryStorage,
  NetworkError,
  NotActivatedError,
  SeatkeyClient,
  UnauthorizedError,
  type FetchLike,
  type PublicJwk,
} from '../src/index.ts';

const BASE_URL = process.env.SEATKEY_BASE_URL;
const ADMIN_SECRET = process.env.SEATKEY_ADMIN_SECRET;
const uid = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

const skip = !BASE_URL || !ADMIN_SECRET ? 'SEATKEY_BASE_URL is not set: run through `npm test` for the emulator tests' : false;
if (skip) console.log(`# client emulator tests skipped: ${skip}`);

async function admin(name: string, body: Record<string, unknown>, auth: Record<string, string>): Promise<any> {
  const res = await fetch(`${BASE_URL}/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A fresh creator, product and licence. */
async function newLicense(product: Record<string, unknown> = {}): Promise<{ productId: string; licenseKey: string; auth: Record<string, string> }> {
  const creatorId = uid('sdk');
  const { apiKey } = await admin('createApiKey', { creatorId, name: 'sdk tests' }, { 'x-admin-secret': ADMIN_SECRET! });
  const auth = { 'x-api-key': apiKey as string };
  const productId = uid('sdk-app');
  await admin('createProduct', { name: 'SDK test app', slug: productId, maxMachines: 1, ...product }, auth);
  const { licenseKey } = await admin('createLicense', { email: 'buyer@example.com', productId }, auth);
  return { productId, licenseKey, auth };
}

// Client endpoints are rate limited per IP: each client here comes from an address of its own.
const fromOwnIp = (): FetchLike => {
  const ip = `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 254) + 1).join('.')}`;
  return (url, init) => fetch(url, { ...init, headers: { ...init.headers, 'x-forwarded-for': ip } });
};

let publicKeys: { keys: PublicJwk[] };
// The emulator starts a worker for a function's first request, which on a loaded machine takes
// longer than the SDK's default 15 s: these tests are about behaviour, so they wait as the
// other emulator tests do.
const timeoutMs = 240_000;
const clientFor = (productId: string, fingerprint = uid('machine'), more: { storage?: MemoryStorage; fetch?: FetchLike } = {}) =>
  new SeatkeyClient({ baseUrl: BASE_URL!, productId, fingerprint, storage: new MemoryStorage(), fetch: fromOwnIp(), publicKeys, timeoutMs, ...more });

describe('the client against the emulators', { skip }, () => {
  before(async () => {
    for (const [name, method] of [
      ['publicKey', 'GET'],
      ['activate', 'POST'],
      ['validate', 'POST'],
      ['createLicense', 'POST'],
    ] as const) {
      const res = await fetch(`${BASE_URL}/${name}`, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      assert.notEqual(res.status, 404, `the emulator has no \`${name}\` function: the functions did not load (${(await res.text()).slice(0, 300)})`);
    }
    publicKeys = await fetchPublicKeys(BASE_URL!, { timeoutMs });
  });

  it("checks the server's tokens offline with the bundled keys", async () => {
    const { productId, licenseKey } = await newLicense();
    const storage = new MemoryStorage();
    const fingerprint = uid('machine');
    await clientFor(productId, fingerprint, { storage }).activate(licenseKey);
    const unreachable: FetchLike = () => Promise.reject(new TypeError('fetch failed'));
    const offline = await clientFor(productId, fingerprint, { storage, fetch: unreachable }).validate();
    assert.ok(offline.valid && offline.source === 'cached', JSON.stringify(offline));
    assert.equal(offline.license.productId, productId);
    // The same cache without bundled keys cannot be checked offline: no key is taken from it.
    const unbundled = new SeatkeyClient({ baseUrl: BASE_URL!, productId, fingerprint, storage, fetch: unreachable, timeoutMs });
    const r = await unbundled.validate();
    assert.ok(!r.valid && r.error instanceof NetworkError, JSON.stringify(r));
  });

  it('activates, validates offline and online, verifies and deactivates', async () => {
    const { productId, licenseKey } = await newLicense();
    const client = clientFor(productId);
    const activation = await client.activate(licenseKey);
    assert.equal(activation.license.productId, productId);
    assert.equal(activation.license.licenseType, 'per-machine');
    assert.equal(activation.license.machinesUsed, 1);

    const cached = await client.validate();
    assert.ok(cached.valid && cached.source === 'cached');
    const online = await client.validate({ online: true });
    assert.ok(online.valid && online.source === 'online', JSON.stringify(online));

    const key = await client.verify(licenseKey);
    assert.equal(key.status, 'active');
    assert.equal(key.machinesUsed, 1);

    // Asked without a token: this machine holds a seat, another does not.
    const held = await client.isActivated();
    assert.deepEqual(held, { activated: true, activationId: activation.license.activationId, status: 'active' });
    assert.equal((await clientFor(productId).isActivated(licenseKey)).activated, false);

    const again = await clientFor(productId, await client.fingerprint()).activate(licenseKey);
    assert.equal(again.license.machinesUsed, 1, 'the same machine takes no new seat');

    const freed = await client.deactivate();
    assert.equal(freed.machinesUsed, 0);
    const after = await client.validate();
    assert.ok(!after.valid && after.error instanceof NotActivatedError);
  });

  it('refuses a machine past the limit with MachineLimitError', async () => {
    const { productId, licenseKey } = await newLicense();
    await clientFor(productId).activate(licenseKey);
    const e = await clientFor(productId)
      .activate(licenseKey)
      .catch((e: unknown) => e);
    assert.ok(e instanceof MachineLimitError, String(e));
    assert.equal(e.message, 'Machine limit reached (1). Deactivate another machine first.');
  });

  it('renews a floating seat with heartbeats', async () => {
    const { productId, licenseKey } = await newLicense({ licenseType: 'floating', maxConcurrent: 1 });
    const client = clientFor(productId);
    await client.activate(licenseKey);
    const beat = await client.heartbeat();
    assert.ok(beat.leaseExpiresAt && beat.leaseExpiresAt.getTime() > Date.now());
    assert.ok(beat.nextHeartbeatSeconds && beat.nextHeartbeatSeconds > 0);
  });

  it('drops the cached activation once the licence is revoked', async () => {
    const { productId, licenseKey } = await newLicense();
    const client = clientFor(productId);
    await client.activate(licenseKey);
    await admin('revokeLicense', { licenseKey, reason: 'manual' }, { 'x-admin-secret': ADMIN_SECRET! });
    const r = await client.validate({ online: true });
    assert.ok(!r.valid && r.error instanceof LicenseRevokedError, JSON.stringify(r));
    const later = await client.validate();
    assert.ok(!later.valid && later.error instanceof NotActivatedError);
  });

  it('sends its publishable key, which a product that requires one needs', async () => {
    const { productId, licenseKey, auth } = await newLicense({ requirePublishableKey: true });
    const { publishableKey } = await admin('createPublishableKey', { productId }, auth);
    const without = await clientFor(productId).activate(licenseKey).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(without instanceof UnauthorizedError, String(without));
    const withKey = new SeatkeyClient({ baseUrl: BASE_URL!, productId, fingerprint: uid('machine'), storage: new MemoryStorage(), fetch: fromOwnIp(), publicKeys, timeoutMs, publishableKey: publishableKey.key });
    const activated = await withKey.activate(licenseKey);
    assert.equal(activated.license.licenseKey, licenseKey);
    assert.equal((await withKey.validate({ online: true })).valid, true);
  });
});
