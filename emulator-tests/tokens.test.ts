// Session tokens and the JWKS: the token checked with node:crypto alone, its claims (aud, iss,
// an expiry bounded by the licence's), validate's checks (signature, issuer, expiry, machine,
// product, licence state, removed activation), a fresh token on every success, and signing keys:
// a retired key until its last token expires, a revoked one refused at once. Every test's keys
// have kids of their own, so files sharing the key registry can run side by side.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify as verifySignature } from 'node:crypto';
import { fingerprintHash } from '../functions/src/domain/activation.ts';
import { getSigningKey, recordSigning } from '../functions/src/store/signingKeys.ts';
import { client, currentKeyJwk, decodePart, isValidError, machine, newLicense, patchLicense, signToken, storedLicense } from './clientHelpers.ts';
import { asAdmin, asCreator, isErrorShape, newCreator, PROJECT, uid } from './helpers.ts';

const DAY = 86_400;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A fresh Ed25519 key as the server's secret holds one. */
function newKey(kid: string) {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return { ...jwk, kid } as { kty: string; crv: string; x: string; d: string; kid: string };
}

/** Registers a key of this test's own in the registry, its last token living until `signedUntil`. */
async function registeredKey(prefix: string, signedUntil: Date) {
  const key = newKey(uid(prefix));
  const jwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, kid: key.kid, x: key.x, alg: 'EdDSA' as const, use: 'sig' as const };
  await recordSigning(key.kid, jwk, signedUntil, signedUntil, new Date());
  return key;
}

async function activated(product: Record<string, unknown> = {}, license: Record<string, unknown> = {}) {
  const fixture = await newLicense({ maxMachines: 3, ...product }, license);
  const call = client();
  const fp = machine();
  const r = await call('activate', { licenseKey: fixture.licenseKey, machineFingerprint: fp, productId: fixture.productId });
  assert.equal(r.status, 200, r.text);
  return { ...fixture, call, fp, token: r.body.token as string, reply: r.body };
}

/** The claims a server token for this activation carries, for tokens a test signs itself. */
function claimsOf(a: Awaited<ReturnType<typeof activated>>, iat: number, exp: number) {
  return { sub: a.licenseKey, fp: fingerprintHash(a.fp), pid: a.productId, aud: a.productId, iss: PROJECT, lt: 'per-machine', lexp: null, aid: a.reply.activationId, iat, exp };
}

describe('session tokens', () => {
  it('are EdDSA JWTs with a kid and the contract claims, verifiable with node:crypto against the JWKS', async () => {
    const a = await activated();
    const header = decodePart(a.token, 0);
    assert.deepEqual(header, { alg: 'EdDSA', kid: header.kid, typ: 'JWT' });
    const claims = decodePart(a.token, 1);
    assert.equal(claims.sub, a.licenseKey);
    assert.equal(claims.fp, fingerprintHash(a.fp));
    assert.equal(claims.pid, a.productId);
    assert.equal(claims.aud, a.productId, 'aud: the product');
    assert.equal(claims.iss, PROJECT, 'iss: the deployment (default: the project id)');
    assert.equal(claims.lt, 'per-machine');
    assert.equal(claims.lexp, null);
    assert.equal(claims.aid, a.reply.activationId);
    assert.equal(claims.exp, (claims.iat as number) + 30 * DAY);
    assert.equal(new Date((claims.exp as number) * 1000).toISOString(), a.reply.expiresAt);
    // The registry covers the token: its key stays published for as long as the token lives.
    const record = await getSigningKey(header.kid as string);
    assert.ok(record && record.signedUntil!.getTime() >= (claims.exp as number) * 1000);

    const jwks = await a.call('publicKey', undefined, 'GET');
    assert.equal(jwks.status, 200);
    const jwk = jwks.body.keys.find((k: any) => k.kid === header.kid);
    assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    assert.deepEqual({ kty: jwk.kty, crv: jwk.crv, alg: jwk.alg, use: jwk.use }, { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    const [h, p, sig] = a.token.split('.') as [string, string, string];
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    assert.equal(verifySignature(null, Buffer.from(`${h}.${p}`), key, Buffer.from(sig, 'base64url')), true);
    const forged = Buffer.from(JSON.stringify({ ...claims, fp: 'x' })).toString('base64url');
    assert.equal(verifySignature(null, Buffer.from(`${h}.${forged}`), key, Buffer.from(sig, 'base64url')), false);
  });

  it('publicKey is cacheable and takes GET and POST', async () => {
    const call = client();
    const g = await call('publicKey', undefined, 'GET');
    assert.match(g.headers.get('cache-control') ?? '', /^public, max-age=\d+$/);
    assert.ok(g.body.keys.length >= 1);
    const p = await call('publicKey', {});
    assert.deepEqual(p.body, g.body);
  });
});

describe('validate', () => {
  it('never outlives the licence: a 14-day trial activated on day 13 gets a token ending on day 14', async () => {
    const purchasedAt = new Date(Date.now() - 13 * DAY * 1000).toISOString();
    const a = await activated({}, { durationDays: 14, purchasedAt });
    const license = await storedLicense(a.licenseKey);
    const lexp = Math.floor(license.expiresAt!.getTime() / 1000);
    const claims = decodePart(a.token, 1);
    assert.equal(claims.lexp, lexp);
    assert.equal(claims.exp, lexp, 'not iat + 30 days');
    assert.ok((claims.exp as number) - nowSeconds() <= DAY + 60);
    assert.equal(a.reply.expiresAt, new Date(lexp * 1000).toISOString(), 'the licence expiry, in whole seconds');
    assert.ok(lexp * 1000 <= license.expiresAt!.getTime());
    const v = await a.call('validate', { token: a.token, machineFingerprint: a.fp });
    assert.equal(v.status, 200, v.text);
    assert.equal(decodePart(v.body.token, 1).exp, lexp);
  });

  it('returns a fresh token on every success, its iat the time the server saw the app', async () => {
    const a = await activated();
    const hourAgo = nowSeconds() - 3600;
    const old = await signToken(claimsOf(a, hourAgo, hourAgo + 30 * DAY));
    for (const token of [old, a.token]) {
      const r = await a.call('validate', { token, machineFingerprint: a.fp, licenseKey: a.licenseKey, productId: a.productId });
      assert.equal(r.status, 200, r.text);
      const b = r.body;
      assert.deepEqual([b.valid, b.refreshed, b.status, b.licenseExpiresAt, b.licenseType, b.productId, b.machinesUsed, b.maxMachines], [true, true, 'active', null, 'per-machine', a.productId, 1, 3]);
      const fresh = decodePart(b.token, 1);
      assert.ok(Math.abs((fresh.iat as number) - nowSeconds()) < 120, 'iat is now, not the old token\'s');
      assert.equal(fresh.exp, (fresh.iat as number) + 30 * DAY);
      assert.equal(new Date((fresh.exp as number) * 1000).toISOString(), b.expiresAt);
      assert.deepEqual([fresh.sub, fresh.fp, fresh.aid, fresh.aud, fresh.iss], [a.licenseKey, fingerprintHash(a.fp), a.reply.activationId, a.productId, PROJECT]);
      assert.ok(b.serverTime);
      assert.ok(r.headers.get('x-ratelimit-limit'));
    }
  });

  it('refuses a token for another product with wrong_product when validate names the product', async () => {
    const a = await activated();
    const other = await activated();
    const r = await a.call('validate', { token: a.token, machineFingerprint: a.fp, productId: other.productId });
    assert.equal(r.status, 403, r.text);
    assert.ok(isValidError(r.body, 'wrong_product'), r.text);
    // A bundle's token is for the product it was activated for, not the bundle's own product.
    const bundle = await newLicense();
    const unlocked = await asCreator(bundle.creator.apiKey, 'createProduct', { name: 'Plugin', slug: uid('plugin') });
    const withPlugin = await asCreator(bundle.creator.apiKey, 'createLicense', { email: 'b@y.co', productId: bundle.productId, unlockedProducts: [unlocked.body.productId] });
    const fp = machine();
    const act = await a.call('activate', { licenseKey: withPlugin.body.licenseKey, machineFingerprint: fp, productId: unlocked.body.productId });
    assert.equal(act.status, 200, act.text);
    assert.equal(decodePart(act.body.token, 1).aud, unlocked.body.productId);
    assert.equal((await a.call('validate', { token: act.body.token, machineFingerprint: fp, productId: unlocked.body.productId })).status, 200);
    assert.ok(isValidError((await a.call('validate', { token: act.body.token, machineFingerprint: fp, productId: bundle.productId })).body, 'wrong_product'));
  });

  it('refuses a tampered, foreign, expired or malformed token with invalid_token', async () => {
    const a = await activated();
    const [h, p, s] = a.token.split('.') as [string, string, string];
    const claims = decodePart(a.token, 1);
    const tamperedClaims = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 365 * DAY })).toString('base64url')}.${s}`;
    const tamperedSig = `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const unknownKid = await signToken(claimsOf(a, nowSeconds(), nowSeconds() + DAY), newKey('never-registered'));
    const expired = await signToken(claimsOf(a, nowSeconds() - 31 * DAY, nowSeconds() - 60));
    const missingClaims = await signToken({ sub: a.licenseKey, iat: nowSeconds(), exp: nowSeconds() + DAY });
    const fresh = claimsOf(a, nowSeconds(), nowSeconds() + DAY);
    const { aud: _aud, ...noAudience } = fresh;
    const { iss: _iss, ...noIssuer } = fresh;
    const otherIssuer = await signToken({ ...fresh, iss: 'another-deployment' });
    const otherAudience = await signToken({ ...fresh, aud: 'another-app' });
    const withoutAud = await signToken(noAudience);
    const withoutIss = await signToken(noIssuer);
    for (const token of [tamperedClaims, tamperedSig, unsigned, unknownKid, expired, missingClaims, otherIssuer, otherAudience, withoutAud, withoutIss, 'garbage', 'a.b.c']) {
      const r = await a.call('validate', { token, machineFingerprint: a.fp });
      assert.equal(r.status, 403, `${token.slice(0, 30)}: ${r.text}`);
      assert.ok(isValidError(r.body, 'invalid_token'), r.text);
    }
    const otherLicence = await a.call('validate', { token: a.token, machineFingerprint: a.fp, licenseKey: (await newLicense()).licenseKey });
    assert.ok(isValidError(otherLicence.body, 'invalid_token'));
  });

  it("refuses another machine's token with fingerprint_mismatch", async () => {
    const a = await activated();
    const other = machine();
    await a.call('activate', { licenseKey: a.licenseKey, machineFingerprint: other, productId: a.productId });
    const r = await a.call('validate', { token: a.token, machineFingerprint: other });
    assert.equal(r.status, 403);
    assert.ok(isValidError(r.body, 'fingerprint_mismatch'));
  });

  it('refuses once the activation is removed, even if the machine activates again', async () => {
    const a = await activated();
    await a.call('deactivate', { licenseKey: a.licenseKey, machineFingerprint: a.fp });
    const gone = await a.call('validate', { token: a.token, machineFingerprint: a.fp });
    assert.equal(gone.status, 403);
    assert.ok(isValidError(gone.body, 'not_activated'));
    const again = await a.call('activate', { licenseKey: a.licenseKey, machineFingerprint: a.fp, productId: a.productId });
    assert.ok(isValidError((await a.call('validate', { token: a.token, machineFingerprint: a.fp })).body, 'not_activated'));
    assert.equal((await a.call('validate', { token: again.body.token, machineFingerprint: a.fp })).status, 200);
  });

  it("follows the licence's current state: revoked, suspended, expired", async () => {
    const a = await activated();
    await patchLicense(a.licenseKey, { adminStatus: 'suspended' });
    assert.ok(isValidError((await a.call('validate', { token: a.token, machineFingerprint: a.fp })).body, 'suspended'));
    await patchLicense(a.licenseKey, { adminStatus: 'active', expiresAt: new Date(Date.now() - 1000) });
    assert.ok(isValidError((await a.call('validate', { token: a.token, machineFingerprint: a.fp })).body, 'expired'));
    await patchLicense(a.licenseKey, { expiresAt: null, revoked: true, revokeReason: 'fraud', revokedAt: new Date() });
    const r = await a.call('validate', { token: a.token, machineFingerprint: a.fp });
    assert.equal(r.status, 403);
    assert.ok(isValidError(r.body, 'revoked'));
  });

  it('gives a degraded licence 24-hour tokens and a warning', async () => {
    const a = await activated();
    await patchLicense(a.licenseKey, { adminStatus: 'degraded' });
    const v = await a.call('validate', { token: a.token, machineFingerprint: a.fp });
    assert.equal(v.status, 200, v.text);
    assert.equal(v.body.status, 'degraded');
    assert.equal(v.body.refreshed, true);
    assert.ok(Math.abs((decodePart(v.body.token, 1).exp as number) - nowSeconds() - DAY) < 120);
    assert.match(v.body.warning, /24 hours/);
    const act = await a.call('activate', { licenseKey: a.licenseKey, machineFingerprint: machine(), productId: a.productId });
    assert.equal(act.status, 200, act.text);
    assert.ok(Math.abs(Date.parse(act.body.expiresAt) - Date.now() - DAY * 1000) < 120_000);
    assert.match(act.body.warning, /24 hours/);
    const verify = await a.call('verify', { licenseKey: a.licenseKey });
    assert.equal(verify.body.status, 'degraded');
    assert.ok(verify.body.warning);
  });

  it('allows 30 validations a minute per licence, then 429 with headers', async () => {
    const a = await activated();
    // Windows are clock-aligned minutes: count the calls admitted in the window that refused one,
    // whichever minute the calls start in (at most 30 + 31 calls).
    const admittedIn = new Map<string, number>();
    let refused: Awaited<ReturnType<typeof a.call>> | undefined;
    for (let i = 0; i < 61 && !refused; i++) {
      const r = await a.call('validate', { token: a.token, machineFingerprint: a.fp });
      if (r.status === 429) refused = r;
      else {
        assert.equal(r.status, 200, `call ${i + 1}: ${r.text}`);
        const reset = r.headers.get('x-ratelimit-reset')!;
        admittedIn.set(reset, (admittedIn.get(reset) ?? 0) + 1);
      }
    }
    assert.ok(refused, 'the 31st call of a minute is refused');
    assert.ok(isValidError(refused.body, 'rate_limited'));
    assert.equal(refused.headers.get('x-ratelimit-limit'), '30');
    assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal(admittedIn.get(refused.headers.get('x-ratelimit-reset')!), 30, JSON.stringify([...admittedIn]));
  });
});

describe('signing keys', () => {
  it('a retired key is published and verifies until the last token it signed has expired', async () => {
    const a = await activated();
    const retired = await registeredKey('retired', new Date(Date.now() + 20 * DAY * 1000));
    const jwks = await a.call('publicKey', undefined, 'GET');
    const kids = jwks.body.keys.map((k: any) => k.kid);
    assert.ok(kids.includes(retired.kid), 'the retired key is still published');
    assert.ok(kids.includes(decodePart(a.token, 0).kid), 'and so is the current one');
    const token = await signToken(claimsOf(a, nowSeconds() - 10 * DAY, nowSeconds() + 20 * DAY), retired);
    const r = await a.call('validate', { token, machineFingerprint: a.fp });
    assert.equal(r.status, 200, r.text);
    assert.equal(decodePart(r.body.token, 0).kid, currentKeyJwk().kid, 'fresh tokens come from the current key');
  });

  it('a retired key whose last token has expired is unpublished and refused, even for a token claiming a later expiry', async () => {
    const a = await activated();
    const spent = await registeredKey('spent', new Date(Date.now() - 60_000));
    const kids = (await a.call('publicKey', undefined, 'GET')).body.keys.map((k: any) => k.kid);
    assert.ok(!kids.includes(spent.kid));
    const forged = await signToken(claimsOf(a, nowSeconds(), nowSeconds() + DAY), spent);
    const r = await a.call('validate', { token: forged, machineFingerprint: a.fp });
    assert.equal(r.status, 403);
    assert.ok(isValidError(r.body, 'invalid_token'));
  });

  it('revokeSigningKey refuses a compromised key at once and takes it out of publicKey', async () => {
    const a = await activated();
    const compromised = await registeredKey('leaked', new Date(Date.now() + 30 * DAY * 1000));
    const token = await signToken(claimsOf(a, nowSeconds(), nowSeconds() + 10 * DAY), compromised);
    assert.equal((await a.call('validate', { token, machineFingerprint: a.fp })).status, 200, 'valid before');

    const c = await newCreator();
    assert.equal((await asCreator(c.apiKey, 'revokeSigningKey', { kid: compromised.kid })).status, 401, 'super admin only');
    const r = await asAdmin('revokeSigningKey', { kid: compromised.kid });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.kid, compromised.kid);
    assert.ok(r.body.revokedAt);
    const v = await a.call('validate', { token, machineFingerprint: a.fp });
    assert.equal(v.status, 403);
    assert.ok(isValidError(v.body, 'invalid_token'));
    assert.ok(!(await a.call('publicKey', undefined, 'GET')).body.keys.some((k: any) => k.kid === compromised.kid));
    const again = await asAdmin('revokeSigningKey', { kid: compromised.kid });
    assert.deepEqual([again.status, again.body.revokedAt], [200, r.body.revokedAt], 'idempotent');
    // Tokens of the current key are untouched.
    assert.equal((await a.call('validate', { token: a.token, machineFingerprint: a.fp })).status, 200);
  });

  it('revokeSigningKey refuses the key this deployment signs with (409) and an unknown kid (404)', async () => {
    const current = await asAdmin('revokeSigningKey', { kid: currentKeyJwk().kid });
    assert.equal(current.status, 409, current.text);
    assert.ok(isErrorShape(current.body, 'conflict'));
    assert.match(current.body.error, /SIGNING_KEY/);
    assert.equal((await asAdmin('revokeSigningKey', { kid: uid('never') })).status, 404);
    assert.equal((await asAdmin('revokeSigningKey', { kid: 'not a kid!' })).status, 400);
    assert.equal((await client()('publicKey', undefined, 'GET')).body.keys.some((k: any) => k.kid === currentKeyJwk().kid), true);
  });
});
