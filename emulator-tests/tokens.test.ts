// Session tokens and the JWKS: the token checked with node:crypto alone, validate's checks
// (signature, expiry, machine, licence state, removed activation), refresh, key rotation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify as verifySignature } from 'node:crypto';
import { fingerprintHash } from '../functions/src/domain/activation.ts';
import { registerSigningKey } from '../functions/src/store/signingKeys.ts';
import { client, decodePart, isValidError, machine, newLicense, patchLicense, signToken, storedLicense } from './clientHelpers.ts';

const DAY = 86_400;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A fresh Ed25519 key as the server's secret holds one. */
function newKey(kid: string) {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return { ...jwk, kid } as { kty: string; crv: string; x: string; d: string; kid: string };
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
  return { sub: a.licenseKey, fp: fingerprintHash(a.fp), pid: a.productId, lt: 'per-machine', lexp: null, aid: a.reply.activationId, iat, exp };
}

describe('session tokens', () => {
  it('are EdDSA JWTs with a kid and the contract claims, verifiable with node:crypto against the JWKS', async () => {
    const a = await activated({}, { durationDays: 10 });
    const header = decodePart(a.token, 0);
    assert.deepEqual(header, { alg: 'EdDSA', kid: header.kid, typ: 'JWT' });
    const claims = decodePart(a.token, 1);
    const license = await storedLicense(a.licenseKey);
    assert.equal(claims.sub, a.licenseKey);
    assert.equal(claims.fp, fingerprintHash(a.fp));
    assert.equal(claims.pid, a.productId);
    assert.equal(claims.lt, 'per-machine');
    assert.equal(claims.lexp, Math.floor(license.expiresAt!.getTime() / 1000));
    assert.equal(claims.aid, a.reply.activationId);
    assert.equal(claims.exp, (claims.iat as number) + 30 * DAY);
    assert.equal(new Date((claims.exp as number) * 1000).toISOString(), a.reply.expiresAt);

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
  it('accepts a current token and returns it unchanged until it nears expiry', async () => {
    const a = await activated();
    const r = await a.call('validate', { token: a.token, machineFingerprint: a.fp, licenseKey: a.licenseKey });
    assert.equal(r.status, 200, r.text);
    const b = r.body;
    assert.equal(b.valid, true);
    assert.equal(b.token, a.token);
    assert.equal(b.refreshed, false);
    assert.equal(b.expiresAt, a.reply.expiresAt);
    assert.equal(b.status, 'active');
    assert.equal(b.licenseExpiresAt, null);
    assert.equal(b.licenseType, 'per-machine');
    assert.equal(b.productId, a.productId);
    assert.equal(b.machinesUsed, 1);
    assert.equal(b.maxMachines, 3);
    assert.ok(b.serverTime);
    assert.equal(r.headers.get('x-ratelimit-limit') !== null, true);
  });

  it('returns a fresh token when the old one expires within 7 days', async () => {
    const a = await activated();
    const old = await signToken(claimsOf(a, nowSeconds() - 27 * DAY, nowSeconds() + 3 * DAY));
    const r = await a.call('validate', { token: old, machineFingerprint: a.fp });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.refreshed, true);
    assert.notEqual(r.body.token, old);
    const fresh = decodePart(r.body.token, 1);
    assert.ok(Math.abs((fresh.exp as number) - nowSeconds() - 30 * DAY) < 120);
    assert.equal(fresh.aid, a.reply.activationId);
    const again = await a.call('validate', { token: r.body.token, machineFingerprint: a.fp });
    assert.equal(again.body.refreshed, false);
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
    for (const token of [tamperedClaims, tamperedSig, unsigned, unknownKid, expired, missingClaims, 'garbage', 'a.b.c']) {
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
    assert.equal(v.body.refreshed, true, 'a 30-day token is replaced by a 24-hour one');
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
    for (let i = 0; i < 30; i++) {
      const r = await a.call('validate', { token: a.token, machineFingerprint: a.fp });
      assert.equal(r.status, 200, `call ${i + 1}: ${r.text}`);
    }
    const r = await a.call('validate', { token: a.token, machineFingerprint: a.fp });
    assert.equal(r.status, 429);
    assert.ok(isValidError(r.body, 'rate_limited'));
    assert.equal(r.headers.get('x-ratelimit-limit'), '30');
    assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    assert.ok(Number(r.headers.get('x-ratelimit-reset')) > nowSeconds());
  });
});

describe('key rotation', () => {
  it('publishes retired keys and still validates their tokens until they expire', async () => {
    const a = await activated();
    const retired = newKey(`retired-${Date.now()}`);
    await registerSigningKey({
      kid: retired.kid,
      jwk: { kty: 'OKP', crv: 'Ed25519', kid: retired.kid, x: retired.x, alg: 'EdDSA', use: 'sig' },
      registeredAt: new Date(Date.now() - 10 * DAY * 1000),
    });
    const jwks = await a.call('publicKey', undefined, 'GET');
    const kids = jwks.body.keys.map((k: any) => k.kid);
    assert.ok(kids.includes(retired.kid), 'the retired key is still published');
    assert.ok(kids.includes(decodePart(a.token, 0).kid), 'and so is the current one');

    const token = await signToken(claimsOf(a, nowSeconds() - 10 * DAY, nowSeconds() + 20 * DAY), retired);
    const r = await a.call('validate', { token, machineFingerprint: a.fp });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.refreshed, false);
    const nearExpiry = await signToken(claimsOf(a, nowSeconds() - 25 * DAY, nowSeconds() + 5 * DAY), retired);
    const refreshed = await a.call('validate', { token: nearExpiry, machineFingerprint: a.fp });
    assert.equal(refreshed.body.refreshed, true);
    assert.equal(decodePart(refreshed.body.token, 0).kid, decodePart(a.token, 0).kid, 'fresh tokens come from the current key');
  });

  it('stops publishing a key once every token it could have signed has expired', async () => {
    const call = client();
    const stamp = Date.now();
    const ancient = newKey(`ancient-${stamp}`);
    const old = newKey(`old-${stamp}`);
    const jwk = (k: ReturnType<typeof newKey>) => ({ kty: 'OKP' as const, crv: 'Ed25519' as const, kid: k.kid, x: k.x, alg: 'EdDSA' as const, use: 'sig' as const });
    await registerSigningKey({ kid: ancient.kid, jwk: jwk(ancient), registeredAt: new Date(stamp - 900 * DAY * 1000) });
    await registerSigningKey({ kid: old.kid, jwk: jwk(old), registeredAt: new Date(stamp - 800 * DAY * 1000) });
    const kids = (await call('publicKey', undefined, 'GET')).body.keys.map((k: any) => k.kid);
    assert.ok(!kids.includes(ancient.kid), 'retired 800 days ago: gone');
    assert.ok(kids.includes(old.kid), 'retired only when a newer key appeared: still published');
  });
});
