// Offline first: the grace period and its limits, a clock turned back, keys (bundled, fetched,
// rotated, unknown), tampered and foreign tokens, a cache edited to look valid, and concurrent
// validate() calls.
import { createHmac, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClockRollbackError,
  FingerprintMismatchError,
  InvalidTokenError,
  LicenseExpiredError,
  NetworkError,
  OfflineGraceExpiredError,
  BadResponseError,
  RateLimitedError,
  ServerError,
  WrongProductError,
} from '../src/index.ts';
import { FakeSeatkey, type SigningKey } from './fakeSeatkey.ts';
import { activated, DAY, fixture, HOUR, MACHINE, PRODUCT, signedTime, storedActivation, type Fixture } from './helpers.ts';

/** Rewrites the stored state as a user editing the cache file would. */
async function editState(f: Pick<Fixture, 'storage'>, edit: (state: any) => void | Promise<void>): Promise<void> {
  const state = JSON.parse((await f.storage.read())!);
  await edit(state);
  await f.storage.write(JSON.stringify(state));
}

describe('offline grace', () => {
  it('keeps the app licensed, and says so, when a due check cannot reach the server', async () => {
    const { client, fake, clock } = await activated();
    const activatedAt = clock.t;
    fake.offline = true;
    clock.advance(3 * DAY);
    const r = await client.validate();
    assert.ok(r.valid, 'licensed within the grace period');
    assert.equal(r.source, 'grace');
    assert.ok(r.offlineError instanceof NetworkError);
    assert.equal(r.lastOnlineAt.getTime(), signedTime(activatedAt), "the token's signed iat");
    assert.equal(r.graceEndsAt.getTime(), signedTime(activatedAt) + 7 * DAY);
    assert.equal(fake.calls.validate, 1, 'it did try');
  });

  it('ends 7 days after the last successful check, and keeps the cache for when the server is back', async () => {
    const { client, fake, clock, storage } = await activated();
    fake.offline = true;
    clock.advance(7 * DAY - 1000);
    assert.equal((await client.validate()).valid, true);
    clock.advance(2000);
    const r = await client.validate({ online: true });
    assert.ok(!r.valid);
    assert.ok(r.error instanceof OfflineGraceExpiredError);
    assert.ok(r.error.cause instanceof NetworkError);
    assert.equal(r.error.retryable, true);
    assert.notEqual(await storedActivation(storage), null, 'not a refusal: nothing is cleared');

    fake.offline = false;
    const back = await client.validate({ online: true });
    assert.ok(back.valid && back.source === 'online');
  });

  it('restarts from each successful online check', async () => {
    const { client, fake, clock } = await activated();
    clock.advance(5 * DAY);
    assert.ok((await client.validate()).valid); // online, day 5
    fake.offline = true;
    clock.advance(6 * DAY); // day 11: 6 days since the last check
    const r = await client.validate();
    assert.ok(r.valid && r.source === 'grace');
  });

  it("never reaches past the token's expiry", async () => {
    const { client, fake, clock } = await fixture();
    fake.tokenTtlSeconds = 3 * 86_400;
    const { license } = await client.activate([...fake.licenses.keys()][0]!);
    fake.offline = true;
    clock.advance(2 * DAY);
    const within = await client.validate();
    assert.ok(within.valid && within.source === 'grace');
    assert.equal(within.graceEndsAt.getTime(), license.tokenExpiresAt.getTime(), 'the token ends before the 7 days');
    clock.advance(DAY + 1000);
    const r = await client.validate({ online: true });
    assert.ok(!r.valid && r.error instanceof OfflineGraceExpiredError);
  });

  it('honours a custom grace period', async () => {
    const { client, fake, clock } = await activated({ client: { offlineGraceMs: 2 * DAY } });
    fake.offline = true;
    clock.advance(2 * DAY + 1);
    assert.equal((await client.validate()).valid, false);
  });

  it('covers 429 and 5xx as well as no network', async () => {
    const { client, fake, clock } = await activated();
    clock.advance(2 * DAY);
    fake.fail('validate', { status: 500, code: 'internal' });
    const r = await client.validate();
    assert.ok(r.valid && r.source === 'grace' && r.offlineError instanceof ServerError);
    fake.fail('validate', { status: 429, code: 'rate_limited', retryAfter: 60 });
    const limited = await client.validate({ online: true });
    assert.ok(limited.valid && limited.offlineError instanceof RateLimitedError);
  });

  it('waits before trying again after a failure, as the server asked', async () => {
    const { client, fake, clock } = await activated({ client: { retryIntervalMs: 10 * 60_000 } });
    clock.advance(2 * DAY);
    fake.offline = true;
    assert.ok((await client.validate()).valid);
    assert.equal(fake.calls.validate, 1);
    clock.advance(9 * 60_000);
    const meanwhile = await client.validate();
    assert.ok(meanwhile.valid && meanwhile.source === 'grace' && meanwhile.offlineError instanceof NetworkError);
    assert.equal(fake.calls.validate, 1, 'no new attempt within the retry interval');
    clock.advance(2 * 60_000);
    fake.offline = false;
    fake.fail('validate', { status: 429, code: 'rate_limited', retryAfter: 3600 });
    assert.ok((await client.validate()).valid);
    assert.equal(fake.calls.validate, 2);
    clock.advance(HOUR - 1000);
    await client.validate();
    assert.equal(fake.calls.validate, 2, 'Retry-After is honoured');
    clock.advance(2000);
    const r = await client.validate();
    assert.ok(r.valid && r.source === 'online');
    assert.equal(fake.calls.validate, 3);
  });

  it('renews an expired token by re-activating with the cached key, taking no new seat', async () => {
    const { client, fake, clock, license } = await activated();
    clock.advance(31 * DAY); // the app was not run for a month
    const r = await client.validate();
    assert.ok(r.valid && r.source === 'online', JSON.stringify(r));
    assert.equal(fake.calls.activate, 2);
    assert.equal(fake.calls.validate, undefined);
    assert.equal(license.activations.size, 1);
    assert.ok(r.license.tokenExpiresAt.getTime() > clock.t);
  });

  it('refuses an expired token when the server cannot be reached', async () => {
    const { client, fake, clock } = await activated({ client: { offlineGraceMs: 60 * DAY } });
    fake.offline = true;
    clock.advance(31 * DAY);
    const r = await client.validate();
    assert.ok(!r.valid && r.error instanceof OfflineGraceExpiredError);
  });
});

describe('clock turned back', () => {
  it('is treated as a failed check: licensed only if the server confirms', async () => {
    const { client, fake, clock } = await activated();
    clock.advance(12 * HOUR);
    assert.ok((await client.validate()).valid); // seen at +12 h
    clock.advance(-6 * HOUR);
    const online = await client.validate();
    assert.ok(online.valid && online.source === 'online', 'the server was asked although no check was due');
    assert.equal(fake.calls.validate, 1);

    clock.advance(-DAY);
    fake.offline = true;
    const r = await client.validate();
    assert.ok(!r.valid);
    assert.ok(r.error instanceof ClockRollbackError);
    assert.ok(r.error.cause instanceof NetworkError);
  });

  it('is caught across runs, against the time saved with the activation', async () => {
    const { fake, clock, newClient } = await activated();
    clock.advance(2 * HOUR);
    assert.ok((await newClient().validate()).valid); // a later run: seen at +2 h, saved
    fake.offline = true;
    clock.advance(-90 * 60_000); // still after the token's issue time: only the saved mark knows
    const r = await newClient().validate();
    assert.ok(!r.valid && r.error instanceof ClockRollbackError);
  });

  it("is caught against the token's issue time on the server's clock", async () => {
    const { fake, clock, newClient } = await fixture();
    const serverAhead = 3 * HOUR;
    fake.now = () => clock.t + serverAhead;
    await newClient().activate([...fake.licenses.keys()][0]!);
    // A clock that is merely slow stays licensed offline…
    fake.offline = true;
    clock.advance(HOUR);
    const slow = await newClient().validate();
    assert.ok(slow.valid && slow.source === 'cached', JSON.stringify(slow));
    // …one turned back behind the issue time is not.
    clock.advance(-2 * HOUR);
    const back = await newClient().validate();
    assert.ok(!back.valid && back.error instanceof ClockRollbackError);
  });

  it('tolerates a small step back', async () => {
    const { client, fake, clock } = await activated();
    clock.advance(HOUR);
    await client.validate();
    clock.advance(-4 * 60_000);
    assert.ok((await client.validate()).valid);
    assert.equal(fake.calls.validate, undefined);
  });
});

describe('keys', () => {
  it('without bundled keys, fetches them once per process, and never trusts the cache for them', async () => {
    const { client, fake, clock, storage, newClient } = await activated({ client: { publicKeys: undefined } });
    assert.equal(fake.calls.publicKey, 1);
    clock.advance(DAY + 1);
    assert.ok((await client.validate()).valid);
    assert.equal(fake.calls.publicKey, 1, 'this process keeps what it fetched');
    assert.equal(JSON.parse((await storage.read())!).jwks, undefined, 'no keys are saved');

    assert.ok((await newClient().validate()).valid);
    assert.equal(fake.calls.publicKey, 2, 'a new run fetches them again before it trusts the token');
    fake.offline = true;
    const r = await newClient().validate();
    assert.ok(!r.valid && r.error instanceof NetworkError, 'offline with no bundled keys: the token cannot be checked');
    assert.match(r.error.message, /none are bundled/);
    assert.notEqual(await storedActivation(storage), null, 'judged neither way: the activation is kept');
  });

  it('fetches the JWKS again when the server signs with a new kid', async () => {
    const { client, fake, clock } = await activated({ client: { publicKeys: undefined } });
    fake.rotateKey();
    clock.advance(DAY + 1); // the online check's fresh token is signed with the new key
    const r = await client.validate();
    assert.ok(r.valid && r.source === 'online', JSON.stringify(r));
    assert.equal(fake.calls.publicKey, 2);
  });

  it('uses bundled keys only, never fetching', async () => {
    const fake = await FakeSeatkey.start();
    try {
      const { client } = await activated({ fake, client: { publicKeys: fake.jwks } });
      assert.ok((await client.validate()).valid);
      assert.equal(fake.calls.publicKey, undefined);
      // A token from a key the app was not shipped with is not trusted, whoever serves it.
      fake.rotateKey();
      const other = fake.addLicense({ productId: 'demo-app' });
      await assert.rejects(client.activate(other.key), BadResponseError);
      assert.equal(fake.calls.publicKey, undefined);
    } finally {
      await fake.close();
    }
  });

  it('drops a cached token signed by a key the server does not publish', async () => {
    const f = await activated({ client: { publicKeys: undefined } });
    await editState(f, async (state) => {
      state.activation.token = await f.fake.sign(f.license, MACHINE, { key: FakeSeatkey.strangerKey() });
    });
    const r = await f.newClient().validate();
    assert.ok(!r.valid && r.error instanceof InvalidTokenError);
    assert.equal(f.fake.calls.publicKey, 2, 'looked for the kid before giving up');
    assert.equal(await storedActivation(f.storage), null);
  });
});

describe('a cache edited to look valid', () => {
  /** A key of the user's own, and a token it signed that lasts until 2100. */
  async function plantForgery(f: Fixture): Promise<void> {
    const forger = FakeSeatkey.strangerKey();
    const until2100 = Date.UTC(2100, 0, 1) / 1000 - Math.floor(f.clock.t / 1000);
    const token = await f.fake.sign(f.license, MACHINE, { key: forger, ttlSeconds: until2100 });
    await editState(f, (state) => {
      state.jwks = [forger.jwk]; // where versions before 0.2 kept the keys they fetched
      state.activation.token = token;
    });
  }

  it('refuses a forged key and token planted in storage, with keys bundled', async () => {
    const f = await activated();
    await plantForgery(f);
    f.fake.offline = true;
    const r = await f.newClient().validate();
    assert.ok(!r.valid && r.error instanceof InvalidTokenError, JSON.stringify(r));
    assert.equal(f.fake.calls.publicKey, undefined, 'bundled keys: nothing fetched, nothing else trusted');
    assert.equal(await storedActivation(f.storage), null, 'the forgery is cleared');
  });

  it('refuses a forged key and token planted in storage, without bundled keys, offline and online', async () => {
    const f = await activated({ client: { publicKeys: undefined } });
    await plantForgery(f);
    f.fake.offline = true;
    const offline = await f.newClient().validate();
    assert.equal(offline.valid, false, 'offline, the planted key is not a key');
    f.fake.offline = false;
    const online = await f.newClient().validate();
    assert.ok(!online.valid && online.error instanceof InvalidTokenError, JSON.stringify(online));
    assert.equal(await storedActivation(f.storage), null);
  });

  it('measures the grace from the signed iat: an edited lastOnlineAt stretches nothing', async () => {
    const f = await activated();
    f.fake.offline = true;
    f.clock.advance(6 * DAY);
    const within = await f.newClient().validate();
    assert.ok(within.valid && within.source === 'grace', 'within the grace');
    f.clock.advance(2 * DAY);
    await editState(f, (state) => {
      // What versions before 0.2 measured the grace from, and the clock marks, all made "now".
      state.activation.lastOnlineAt = f.clock.t;
      state.clock = { serverTime: f.clock.t, localAtServerTime: f.clock.t, lastSeenAt: f.clock.t };
    });
    const r = await f.newClient().validate();
    assert.ok(!r.valid && r.error instanceof OfflineGraceExpiredError, JSON.stringify(r));
  });

  it("refuses a licence whose signed expiry has passed, offline too, and keeps it for a renewal", async () => {
    const f = await fixture({ client: { onlineIntervalMs: 30 * DAY } });
    f.license.expiresAt = Math.floor(f.clock.t / 1000) + 2 * 86_400;
    await f.client.activate(f.license.key);
    f.fake.offline = true;
    f.clock.advance(DAY);
    const before = await f.client.validate();
    assert.ok(before.valid && before.source === 'cached');
    assert.equal(before.graceEndsAt.getTime(), f.license.expiresAt * 1000, 'the grace ends with the licence');

    f.clock.advance(DAY + 60_000);
    const r = await f.newClient().validate();
    assert.ok(!r.valid && r.error instanceof LicenseExpiredError, JSON.stringify(r));
    assert.ok(r.error.cause instanceof NetworkError, 'it asked the server first, though no check was due');
    assert.notEqual(await storedActivation(f.storage), null, 'kept: the server may know of a renewal');

    // Renewed meanwhile: the server's fresh token carries the new expiry.
    f.license.expiresAt += 30 * 86_400;
    f.fake.offline = false;
    const renewed = await f.newClient().validate();
    assert.ok(renewed.valid && renewed.source === 'online', JSON.stringify(renewed));
    assert.equal(renewed.license.expiresAt?.getTime(), f.license.expiresAt * 1000);
  });

  it('forgets a licence the server confirms expired', async () => {
    const f = await fixture();
    f.license.expiresAt = Math.floor(f.clock.t / 1000) + 3600;
    await f.client.activate(f.license.key);
    f.clock.advance(2 * HOUR);
    const r = await f.client.validate();
    assert.ok(!r.valid && r.error instanceof LicenseExpiredError && r.error.status === 403, JSON.stringify(r));
    assert.equal(await storedActivation(f.storage), null);
  });
});

describe('aud and iss', () => {
  it("refuses a token whose aud is another product, and one from another issuer when the app names its own", async () => {
    const f = await activated({ client: { issuer: 'demo-seatkey' } });
    await editState(f, async (state) => {
      state.activation.token = await f.fake.sign(f.license, MACHINE, { claims: { aud: 'other-app' } });
    });
    const other = await f.newClient().validate();
    assert.ok(!other.valid && other.error instanceof WrongProductError, JSON.stringify(other));

    await f.client.activate(f.license.key);
    await editState(f, async (state) => {
      state.activation.token = await f.fake.sign(f.license, MACHINE, { claims: { iss: 'someone-else' } });
    });
    const foreign = await f.newClient().validate();
    assert.ok(!foreign.valid && foreign.error instanceof InvalidTokenError, JSON.stringify(foreign));
    await f.client.activate(f.license.key);
    assert.ok((await f.newClient({ issuer: undefined }).validate()).valid, 'without an issuer named, iss is not checked');
  });

  it('accepts the tokens of servers that sign neither aud nor iss yet', async () => {
    const f = await fixture({ client: { issuer: 'demo-seatkey' } });
    f.fake.audience = false;
    f.fake.issuer = null;
    await f.client.activate(f.license.key);
    const token = JSON.parse((await f.storage.read())!).activation.token as string;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    assert.deepEqual([claims.aud, claims.iss, claims.pid], [undefined, undefined, PRODUCT]);
    const r = await f.newClient().validate();
    assert.ok(r.valid && r.source === 'cached', JSON.stringify(r));
  });

  it('checks aud as a list too', async () => {
    const f = await activated();
    await editState(f, async (state) => {
      state.activation.token = await f.fake.sign(f.license, MACHINE, { claims: { aud: ['other-app', PRODUCT] } });
    });
    assert.ok((await f.newClient().validate()).valid);
  });
});

describe('tampering', () => {
  it('rejects a cached token whose claims were edited, and clears it', async () => {
    const { storage, newClient } = await activated();
    const state = JSON.parse((await storage.read())!);
    const [h, p, s] = state.activation.token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.exp += 365 * 86_400;
    state.activation.token = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    await storage.write(JSON.stringify(state));
    const r = await newClient().validate();
    assert.ok(!r.valid && r.error instanceof InvalidTokenError);
    assert.equal(r.error.definitive, true);
    assert.equal(await storedActivation(storage), null);
  });

  it('rejects an activation copied to another machine without taking a seat there', async () => {
    const { fake, license, storage, newClient } = await activated();
    const elsewhere = newClient({ fingerprint: 'machine-two' });
    const r = await elsewhere.validate({ online: true });
    assert.ok(!r.valid && r.error instanceof FingerprintMismatchError);
    assert.equal(fake.calls.activate, 1);
    assert.equal(fake.calls.validate, undefined, 'decided offline');
    assert.equal(license.activations.size, 1);
    assert.equal(await storedActivation(storage), null);
  });
});

describe('the signature check', () => {
  const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const parts = (token: string) => {
    const [h, p, s] = token.split('.') as [string, string, string];
    return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), payload: JSON.parse(Buffer.from(p, 'base64url').toString()), h, p, s };
  };
  /** A compact JWS built by hand: any header, any payload, an Ed25519 signature by `key`. */
  const signed = (header: unknown, payload: unknown, key: SigningKey): string => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${sign(null, Buffer.from(input), key.privateKey).toString('base64url')}`;
  };

  /** Plants `token` in the cache; a fresh client must refuse it offline, say why, and drop it. */
  async function refused(f: Fixture, token: string): Promise<void> {
    await editState(f, (state) => {
      state.activation.token = token;
    });
    const r = await f.newClient().validate();
    assert.ok(!r.valid && r.error instanceof InvalidTokenError, JSON.stringify(r));
    assert.equal(f.fake.calls.validate, undefined, 'decided offline');
    assert.equal(await storedActivation(f.storage), null);
  }

  it('accepts a token built by hand the way the server builds it (so the refusals below are for their one change)', async () => {
    const f = await activated();
    const { header, payload } = parts(JSON.parse((await f.storage.read())!).activation.token);
    await editState(f, (state) => {
      state.activation.token = signed(header, payload, f.fake.currentKey);
    });
    const r = await f.newClient().validate();
    assert.ok(r.valid && r.source === 'cached', JSON.stringify(r));
  });

  it('refuses a signature with one bit flipped', async () => {
    const f = await activated();
    const { h, p, s } = parts(JSON.parse((await f.storage.read())!).activation.token);
    const sig = Buffer.from(s, 'base64url');
    sig[10]! ^= 0x01;
    await refused(f, `${h}.${p}.${sig.toString('base64url')}`);
  });

  it("refuses a token signed by another key under the server's kid", async () => {
    const f = await activated();
    const { header, payload } = parts(JSON.parse((await f.storage.read())!).activation.token);
    await refused(f, signed(header, payload, FakeSeatkey.strangerKey()));
  });

  it('refuses alg confusion: HS256 keyed with the public key, and alg none', async () => {
    const f = await activated();
    const { header, payload } = parts(JSON.parse((await f.storage.read())!).activation.token);
    const x = String(f.fake.jwks.keys[0]!.x);
    for (const secret of [x, Buffer.from(x, 'base64url')]) {
      const input = `${b64({ ...header, alg: 'HS256' })}.${b64(payload)}`;
      await refused(f, `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`);
      await f.newClient().activate(f.license.key);
    }
    await refused(f, `${b64({ ...header, alg: 'none' })}.${b64(payload)}.`);
    await f.newClient().activate(f.license.key);
    // The right signature does not make another alg acceptable.
    await refused(f, signed({ ...header, alg: 'ES256' }, payload, f.fake.currentKey));
  });

  it('refuses an extension it does not understand (crit), an unencoded payload, and a payload that is not an object', async () => {
    const f = await activated();
    const { header, payload } = parts(JSON.parse((await f.storage.read())!).activation.token);
    await refused(f, signed({ ...header, crit: ['exp-ext'], 'exp-ext': 1 }, payload, f.fake.currentKey));
    await f.newClient().activate(f.license.key);
    await refused(f, signed({ ...header, b64: false, crit: ['b64'] }, payload, f.fake.currentKey));
    await f.newClient().activate(f.license.key);
    await refused(f, signed(header, [payload], f.fake.currentKey));
  });

  it('refuses a genuine token spelled differently (padding, a stray character) or cut short', async () => {
    const f = await activated();
    const token = JSON.parse((await f.storage.read())!).activation.token as string;
    const { h, p, s } = parts(token);
    for (const variant of [`${token}==`, `${h}.${p}.${s.slice(0, -1)}*${s.slice(-1)}`, `${h}.${p}`, `${h}.${p}.${s.slice(0, 40)}`, `${token}.${s}`]) {
      await refused(f, variant);
      await f.newClient().activate(f.license.key);
    }
  });

  it('refuses a genuine signature over a token not yet valid (nbf in the future) or with a non-numeric iat', async () => {
    const f = await activated();
    const { header, payload } = parts(JSON.parse((await f.storage.read())!).activation.token);
    await refused(f, signed(header, { ...payload, nbf: payload.iat + 3_600 }, f.fake.currentKey));
    await f.newClient().activate(f.license.key);
    await refused(f, signed(header, { ...payload, iat: String(payload.iat) }, f.fake.currentKey));
  });
});

describe('concurrent validate()', () => {
  it('share one request', async () => {
    const { client, fake, clock } = await activated();
    clock.advance(2 * DAY);
    fake.delayMs = 30;
    const results = await Promise.all(Array.from({ length: 8 }, () => client.validate()));
    assert.equal(fake.calls.validate, 1);
    for (const r of results) assert.ok(r.valid && r.source === 'online');
    assert.ok(results.every((r) => r === results[0]), 'one answer for all');
  });

  it('share one forced check, and a plain call shares it too', async () => {
    const { client, fake } = await activated();
    fake.delayMs = 30;
    const results = await Promise.all([client.validate({ online: true }), client.validate(), client.validate({ online: true })]);
    assert.equal(fake.calls.validate, 1);
    assert.ok(results.every((r) => r.valid && r.source === 'online'));
  });

  it('share one failed request too', async () => {
    const { client, fake, clock } = await activated();
    clock.advance(2 * DAY);
    fake.offline = true;
    const results = await Promise.all(Array.from({ length: 5 }, () => client.validate()));
    assert.equal(fake.calls.validate, 1);
    assert.ok(results.every((r) => r.valid && r.source === 'grace'));
  });

});
