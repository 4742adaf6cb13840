// The client against a fake Seatkey: activation, online validation, deactivation, verify, the
// default fingerprint, and the contract's errors as typed errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import nodeMachineId from 'node-machine-id';
import {
  BadResponseError,
  BusyError,
  LicenseExpiredError,
  LicenseNotFoundError,
  LicenseRevokedError,
  LicenseSuspendedError,
  MachineLimitError,
  MemoryStorage,
  NetworkError,
  NotActivatedError,
  RateLimitedError,
  SeatkeyClient,
  SeatkeyError,
  ServerError,
  WrongProductError,
  maskLicenseKey,
  type FetchLike,
} from '../src/index.ts';
import { activated, DAY, fixture, MACHINE, PRODUCT, signedTime, storedActivation } from './helpers.ts';

describe('activate', () => {
  it('activates, caches the verified token and reports the licence', async () => {
    const { client, fake, license, storage } = await fixture({ license: { maxMachines: 3 } });
    const r = await client.activate(`  ${license.key.toLowerCase()}  `, { hostname: 'build-box' });
    assert.equal(r.message, 'Activated');
    assert.equal(r.license.licenseKey, license.key, 'the key as the token names it');
    assert.equal(r.license.productId, PRODUCT);
    assert.equal(r.license.licenseType, 'per-machine');
    assert.equal(r.license.machinesUsed, 1);
    assert.equal(r.license.maxMachines, 3);
    assert.equal(r.license.activationId, license.activations.get(MACHINE));
    assert.equal(r.license.expiresAt, null);
    assert.ok(r.license.tokenExpiresAt.getTime() > Date.now() + 29 * DAY);
    assert.deepEqual(fake.lastBody.activate, { licenseKey: license.key.toLowerCase(), machineFingerprint: MACHINE, hostname: 'build-box', productId: PRODUCT });
    const stored = await storedActivation(storage);
    assert.equal(stored?.licenseKey, license.key);
    assert.equal(typeof stored?.token, 'string');
  });

  it("sends the OS hostname unless told otherwise, and a licence's expiry comes from the token", async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 90 * 86_400;
    const { client, fake, license } = await fixture({ license: { expiresAt, licenseType: 'floating' } });
    const r = await client.activate(license.key);
    assert.equal(fake.lastBody.activate?.hostname, hostname());
    assert.equal(r.license.expiresAt?.getTime(), expiresAt * 1000);
    assert.equal(r.license.licenseType, 'floating');
    assert.equal(r.nextHeartbeatSeconds, 300);
    assert.ok(r.license.leaseExpiresAt instanceof Date);
  });

  const refusals: Array<[string, Parameters<typeof fixture>[0], new (...a: never[]) => SeatkeyError, string, number]> = [
    ['an unknown key', {}, LicenseNotFoundError, 'not_found', 404],
    ['a revoked licence', { license: { status: 'revoked' } }, LicenseRevokedError, 'revoked', 403],
    ['a suspended licence', { license: { status: 'suspended' } }, LicenseSuspendedError, 'suspended', 403],
    ['an expired licence', { license: { expiresAt: Math.floor(Date.now() / 1000) - 60 } }, LicenseExpiredError, 'expired', 403],
    ['another product', { license: { productId: 'other-app' } }, WrongProductError, 'wrong_product', 403],
  ];
  for (const [what, options, type, code, status] of refusals) {
    it(`rejects ${what} with ${type.name}`, async () => {
      const { client, license, storage } = await fixture(options);
      const key = code === 'not_found' ? 'NOPE-0000-0000-0000-00' : license.key;
      const e = await client.activate(key).then(
        () => assert.fail('activate resolved'),
        (e: unknown) => e,
      );
      assert.ok(e instanceof type, `got ${String(e)}`);
      assert.ok(e instanceof SeatkeyError);
      assert.equal(e.code, code);
      assert.equal(e.status, status);
      assert.equal(e.retryable, false);
      assert.equal(e.definitive, true);
      assert.equal(await storage.read(), null, 'nothing cached');
    });
  }

  it('rejects a full licence with MachineLimitError naming the limit, and keeps the seat count', async () => {
    const { client, fake, license } = await fixture({ license: { maxMachines: 1 } });
    license.activations.set('someone-else', 'act_other');
    const e = await client.activate(license.key).catch((e: unknown) => e);
    assert.ok(e instanceof MachineLimitError);
    assert.equal(e.code, 'machine_limit');
    assert.equal(e.maxMachines, 1);
    assert.equal(e.message, 'Machine limit reached (1). Deactivate another machine first.');
    assert.equal(e.retryable, false);
    assert.equal(e.definitive, false);
    assert.equal(fake.licenses.get(license.key)?.activations.size, 1);
  });

  it('reports 429 with Retry-After, 503 and 5xx pages as retryable errors', async () => {
    const { client, fake, license } = await fixture();
    fake.fail('activate', { status: 429, code: 'rate_limited', retryAfter: 120 });
    const limited = await client.activate(license.key).catch((e: unknown) => e);
    assert.ok(limited instanceof RateLimitedError);
    assert.equal(limited.retryAfterMs, 120_000);
    assert.equal(limited.retryable, true);

    fake.fail('activate', { status: 503, code: 'busy', retryAfter: 1 });
    const busy = await client.activate(license.key).catch((e: unknown) => e);
    assert.ok(busy instanceof BusyError);
    assert.equal(busy.retryable, true);

    fake.fail('activate', { status: 502, raw: '<html>Bad gateway</html>' });
    const gateway = await client.activate(license.key).catch((e: unknown) => e);
    assert.ok(gateway instanceof ServerError, 'a proxy page is judged by its status');
    assert.equal(gateway.status, 502);
    assert.equal(gateway.retryable, true);

    fake.fail('activate', { status: 200, raw: '<html>Welcome to the hotel wifi</html>' });
    const portal = await client.activate(license.key).catch((e: unknown) => e);
    assert.ok(portal instanceof BadResponseError);
    assert.equal(portal.retryable, true);
  });

  it('reports an unreachable server as NetworkError without the licence key in the message', async () => {
    const { client, fake, license } = await fixture();
    fake.offline = true;
    const e = await client.activate(license.key).catch((e: unknown) => e);
    assert.ok(e instanceof NetworkError);
    assert.equal(e.retryable, true);
    assert.ok(!e.message.includes(license.key));
  });

  it('refuses a token that does not verify, and keeps the activation it had', async () => {
    const { fake, license, newClient, storage } = await activated();
    const before = await storage.read();
    // A man in the middle (or a broken server) hands back a token with a flipped signature.
    const tamper: FetchLike = async (url, init) => {
      const res = await fetch(url, init);
      const body = (await res.json()) as { token?: unknown };
      if (typeof body.token === 'string') body.token = `${body.token.slice(0, -4)}AAAA`;
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    };
    const client = newClient({ fetch: tamper });
    const other = fake.addLicense({ productId: PRODUCT });
    const e = await client.activate(other.key).catch((e: unknown) => e);
    assert.ok(e instanceof BadResponseError, String(e));
    assert.equal(await storage.read(), before);
    assert.equal((await client.validate()).valid, true, 'the old activation still holds');
    assert.equal(license.activations.size, 1);
  });
});

describe('validate online', () => {
  it('answers from the cache while no check is due, then asks the server once a day', async () => {
    const { client, fake, clock } = await activated();
    const cached = await client.validate();
    assert.equal(cached.valid, true);
    assert.equal(cached.valid && cached.source, 'cached');
    assert.equal(fake.calls.validate, undefined, 'no request');

    clock.advance(DAY - 1000);
    assert.equal((await client.validate()).valid && 'cached', 'cached');
    assert.equal(fake.calls.validate, undefined);

    clock.advance(2000);
    const online = await client.validate();
    assert.ok(online.valid);
    assert.equal(online.source, 'online');
    assert.equal(fake.calls.validate, 1);
    assert.equal(online.lastOnlineAt.getTime(), signedTime(clock.t), "the fresh token's signed iat");
    assert.equal(online.nextOnlineCheckAt.getTime(), clock.t + DAY);
    assert.deepEqual(Object.keys(fake.lastBody.validate ?? {}).sort(), ['licenseKey', 'machineFingerprint', 'productId', 'token']);
    assert.equal(fake.lastBody.validate?.productId, PRODUCT);

    assert.equal((await client.validate()).valid && 'cached', 'cached');
    assert.equal(fake.calls.validate, 1);
  });

  it('goes online on request, and honours a custom interval', async () => {
    const { client, fake, clock } = await activated({ client: { onlineIntervalMs: 60_000 } });
    const forced = await client.validate({ online: true });
    assert.ok(forced.valid && forced.source === 'online');
    assert.equal(fake.calls.validate, 1);
    clock.advance(61_000);
    assert.ok((await client.validate()).valid);
    assert.equal(fake.calls.validate, 2);
  });

  it('stores the fresh token each online check brings', async () => {
    const { client, fake, clock, storage } = await activated();
    const first = await storedActivation(storage);
    clock.advance(24 * DAY);
    const r = await client.validate();
    assert.ok(r.valid && r.source === 'online');
    const second = await storedActivation(storage);
    assert.notEqual(second?.token, first?.token);
    assert.equal(r.license.tokenExpiresAt.getTime(), Math.floor(clock.t / 1000) * 1000 + fake.tokenTtlSeconds * 1000);
  });

  it('checks a short-lived token at half its remaining life even with a long interval', async () => {
    const { client, fake, clock } = await fixture({ client: { onlineIntervalMs: 30 * DAY } });
    fake.tokenTtlSeconds = 86_400; // a degraded licence's 24 h token
    await client.activate([...fake.licenses.keys()][0]!);
    clock.advance(11 * 3_600_000);
    assert.ok((await client.validate()).valid);
    assert.equal(fake.calls.validate, undefined);
    clock.advance(2 * 3_600_000);
    const r = await client.validate();
    assert.ok(r.valid && r.source === 'online', 'due after 12 h of a 24 h token');
  });

  for (const code of ['revoked', 'suspended', 'expired', 'fingerprint_mismatch', 'not_activated', 'not_found', 'invalid_token', 'wrong_product'] as const) {
    it(`clears the cache when the server answers ${code}`, async () => {
      const { client, fake, storage, newClient } = await activated();
      fake.fail('validate', { status: code === 'not_found' ? 404 : 403, code });
      const r = await client.validate({ online: true });
      assert.equal(r.valid, false);
      assert.equal(!r.valid && r.error.code, code);
      assert.equal(await storedActivation(storage), null);
      const later = await newClient().validate();
      assert.ok(!later.valid && later.error instanceof NotActivatedError);
      assert.equal(fake.calls.validate, 1, 'nothing left to ask about');
    });
  }

  it('a licence revoked on the server is refused at the next due check', async () => {
    const { client, license, clock } = await activated();
    license.status = 'revoked';
    assert.equal((await client.validate()).valid, true, 'offline first: not due yet');
    clock.advance(DAY + 1);
    const r = await client.validate();
    assert.ok(!r.valid && r.error instanceof LicenseRevokedError);
  });

  it('says NotActivatedError without a request when nothing is cached', async () => {
    const { client, fake } = await fixture();
    const r = await client.validate();
    assert.ok(!r.valid && r.error instanceof NotActivatedError);
    assert.equal(r.valid || r.error.definitive, true);
    assert.deepEqual(fake.calls, {});
  });
});

describe('deactivate', () => {
  it('frees the seat and forgets the activation', async () => {
    const { client, license, storage } = await activated();
    const r = await client.deactivate();
    assert.deepEqual(r, { machinesUsed: 0, maxMachines: 2 });
    assert.equal(license.activations.size, 0);
    assert.equal(await storedActivation(storage), null);
    const v = await client.validate();
    assert.ok(!v.valid && v.error instanceof NotActivatedError);
  });

  it('keeps the activation when the server cannot be reached, so it can be retried', async () => {
    const { client, fake, license, storage } = await activated();
    fake.offline = true;
    await assert.rejects(client.deactivate(), NetworkError);
    assert.notEqual(await storedActivation(storage), null);
    fake.offline = false;
    await client.deactivate();
    assert.equal(license.activations.size, 0);
  });

  it('clears the cache when the server says the machine is not activated', async () => {
    const { client, license, storage } = await activated();
    license.activations.clear();
    await assert.rejects(client.deactivate(), NotActivatedError);
    assert.equal(await storedActivation(storage), null);
  });

  it('deactivates another key for this machine without touching the cached one', async () => {
    const { client, fake, storage } = await activated();
    const other = fake.addLicense({ productId: PRODUCT });
    other.activations.set(MACHINE, 'act_x');
    await client.deactivate({ licenseKey: other.key });
    assert.equal(other.activations.size, 0);
    assert.notEqual(await storedActivation(storage), null);
  });

  it('needs an activation or a key', async () => {
    const { client, fake } = await fixture();
    await assert.rejects(client.deactivate(), NotActivatedError);
    assert.deepEqual(fake.calls, {});
  });
});

describe('verify', () => {
  it("returns the server's view of a key without activating", async () => {
    const { client, license, storage } = await fixture({ license: { licenseType: 'site', maxMachines: -1 } });
    const r = await client.verify(license.key);
    assert.equal(r.status, 'active');
    assert.equal(r.licenseType, 'site');
    assert.equal(r.productId, PRODUCT);
    assert.equal(r.maxMachines, -1);
    assert.equal(license.activations.size, 0);
    assert.equal(await storage.read(), null);
    await assert.rejects(client.verify('NOPE-0000-0000-0000-00'), LicenseNotFoundError);
  });
});

describe('fingerprint', () => {
  it("defaults to SHA-256 of the product id and the OS machine id, never the raw id", async () => {
    const raw = await nodeMachineId.machineId(true);
    const options = { baseUrl: 'http://127.0.0.1:9', storage: new MemoryStorage() };
    const a = await new SeatkeyClient({ ...options, productId: 'app-a' }).fingerprint();
    const b = await new SeatkeyClient({ ...options, productId: 'app-b' }).fingerprint();
    assert.equal(a, createHash('sha256').update(`app-a:${raw}`).digest('hex'));
    assert.notEqual(a, b, 'products cannot correlate machines');
    assert.ok(!a.includes(raw));
  });

  it('can be given, as a value or a function', async () => {
    const options = { baseUrl: 'http://127.0.0.1:9', productId: 'app', storage: new MemoryStorage() };
    assert.equal(await new SeatkeyClient({ ...options, fingerprint: 'fixed' }).fingerprint(), 'fixed');
    assert.equal(await new SeatkeyClient({ ...options, fingerprint: async () => 'computed' }).fingerprint(), 'computed');
  });
});

describe('errors', () => {
  it('serialise without a stack and mask keys for display', () => {
    const e = new LicenseRevokedError('revoked', 'This licence is revoked', { status: 403 });
    assert.deepEqual(JSON.parse(JSON.stringify(e)), { code: 'revoked', message: 'This licence is revoked', status: 403, retryable: false });
    assert.equal(e.name, 'LicenseRevokedError');
    assert.equal(maskLicenseKey('ACME-7K2M-9QRT-XW4P-Q4'), 'ACME-****-****-****-Q4');
  });
});
