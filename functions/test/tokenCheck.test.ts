// Unit tests for how a session token is checked: with the deployment's current key the signature
// is checked before the key's registry record is back (so validate can count the call beside its
// reads), and a record that says the key is revoked still refuses the token afterwards.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { SigningKeyRecord } from '../src/store/signingKeys.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const KID = 'unit-current';
let session: typeof import('../src/tokens/session.ts');
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let publicJwk: Record<string, unknown>;

before(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID };
  process.env.SIGNING_KEY = JSON.stringify({ ...(await exportJWK(pair.privateKey)), kid: KID });
  process.env.TOKEN_ISSUER = 'unit-issuer';
  session = await import('../src/tokens/session.ts');
});

const token = (claims: Record<string, unknown> = {}, kid = KID) =>
  new SignJWT({ fp: 'fp-1', pid: 'app', lt: 'per-machine', lexp: null, aid: 'act_1', ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
    .setSubject('ACME-0000-0000-0000-00')
    .setAudience('app')
    .setIssuer('unit-issuer')
    .setIssuedAt(Math.floor(NOW.getTime() / 1000) - 60)
    .setExpirationTime(Math.floor(NOW.getTime() / 1000) + 3600)
    .sign(privateKey);

const record = (over: Partial<SigningKeyRecord> = {}): SigningKeyRecord => ({ kid: KID, jwk: publicJwk as never, registeredAt: new Date('2026-01-01'), ...over });

describe('reading a session token', () => {
  it('checks a current-key token before its key record is back, and tells onSigned the claims', async () => {
    let release!: (r: SigningKeyRecord | undefined) => void;
    const pending = new Promise<SigningKeyRecord | undefined>((r) => (release = r));
    const signed: string[] = [];
    const read = session.readTokenFor(await token(), { fingerprint: 'fp-1' }, NOW, pending, (c) => signed.push(c.sub));
    // The record is held back until onSigned has been told (or 5 s have passed: a failure).
    for (let waited = 0; signed.length === 0 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(signed, ['ACME-0000-0000-0000-00'], 'told while the record is still being read');
    release(record());
    assert.equal((await read).sub, 'ACME-0000-0000-0000-00');
  });

  it('still refuses a current-key token once its record says the key is revoked', async () => {
    const read = session.readTokenFor(await token(), { fingerprint: 'fp-1' }, NOW, Promise.resolve(record({ revokedAt: new Date('2026-05-01') })));
    await assert.rejects(read, (e: { code?: string }) => e.code === 'invalid_token');
  });

  it('never tells onSigned about a token whose signature fails', async () => {
    const signed: string[] = [];
    const [h, p] = (await token()).split('.');
    const forged = `${h}.${p}.${Buffer.alloc(64).toString('base64url')}`;
    await assert.rejects(session.readTokenFor(forged, { fingerprint: 'fp-1' }, NOW, Promise.resolve(record()), (c) => signed.push(c.sub)), { code: 'invalid_token' });
    assert.deepEqual(signed, []);
  });

  it("waits for another key's record before using it, and refuses it when the record is missing", async () => {
    const signed: string[] = [];
    await assert.rejects(session.readTokenFor(await token({}, 'unit-other'), { fingerprint: 'fp-1' }, NOW, Promise.resolve(undefined), (c) => signed.push(c.sub)), { code: 'invalid_token' });
    assert.deepEqual(signed, []);
  });
});
