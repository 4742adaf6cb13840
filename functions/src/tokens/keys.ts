// The signing key (the SIGNING_KEY secret: an Ed25519 private key as a one-line JWK with a kid),
// its record in signingKeys/ (store/signingKeys.ts), and which keys verify tokens: a key is in
// force while it is not revoked and the last token it signed may still be in use.
import type { CryptoKey } from 'jose';
import { SIGNING_KEY } from '../config.js';
import { SeatkeyError } from '../domain/errors.js';
import { recordSigning, type PublicJwk, type SigningKeyRecord } from '../store/signingKeys.js';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: PublicJwk;
}

/** kids become Firestore document ids, so they are held to a safe alphabet. */
export const KID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const asPublicJwk = (kid: string, x: string): PublicJwk => ({ kty: 'OKP', crv: 'Ed25519', kid, x, alg: 'EdDSA', use: 'sig' });

const imported = new Map<string, Promise<CryptoKey>>();
/** A public key from its JWK, imported once per instance. */
function importPublic(jwk: PublicJwk): Promise<CryptoKey> {
  let key = imported.get(jwk.x);
  if (!key) {
    key = import('jose').then(({ importJWK }) => importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, 'EdDSA') as Promise<CryptoKey>);
    key.catch(() => imported.delete(jwk.x));
    imported.set(jwk.x, key);
  }
  return key;
}

async function load(raw: string): Promise<SigningKey> {
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw new Error('SIGNING_KEY is not JSON: it must be an Ed25519 private JWK on one line');
  }
  const { kty, crv, x, d, kid } = jwk;
  if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string' || typeof d !== 'string' || typeof kid !== 'string' || !KID_PATTERN.test(kid)) {
    throw new Error('SIGNING_KEY must be an Ed25519 private JWK (kty OKP, crv Ed25519, x, d) with a kid of letters, digits, - or _');
  }
  const { importJWK } = await import('jose');
  const publicJwk = asPublicJwk(kid, x);
  const [privateKey, publicKey] = await Promise.all([importJWK({ kty, crv, x, d }, 'EdDSA') as Promise<CryptoKey>, importPublic(publicJwk)]);
  return { kid, privateKey, publicKey, publicJwk };
}

let current: { raw: string; key: Promise<SigningKey> } | undefined;

/** The key this instance signs with. */
export function signingKey(): Promise<SigningKey> {
  const raw = SIGNING_KEY.value();
  if (current?.raw !== raw) current = { raw, key: load(raw) };
  return current.key;
}

/** The registry's `signedUntil` is raised this far past a new token's expiry: one write a day. */
const SIGNED_UNTIL_STEP_MS = 86_400_000;
/** How often an instance re-reads its own key's record to learn that it was revoked. */
const RECHECK_MS = 60_000;

interface Standing {
  until: number;
  checkedAt: number;
  revoked: boolean;
}

const standings = new Map<string, Standing>();
const refreshing = new Map<string, Promise<Standing>>();

function refresh(key: SigningKey, exp: Date, now: Date): Promise<Standing> {
  let running = refreshing.get(key.kid);
  if (!running) {
    running = recordSigning(key.kid, key.publicJwk, exp, new Date(exp.getTime() + SIGNED_UNTIL_STEP_MS), now)
      .then((r) => {
        const standing = { until: r.signedUntil?.getTime() ?? 0, checkedAt: now.getTime(), revoked: !!r.revokedAt };
        standings.set(key.kid, standing);
        return standing;
      })
      .finally(() => refreshing.delete(key.kid));
    refreshing.set(key.kid, running);
  }
  return running;
}

/**
 * Before a token of `key` expiring at `exp` is handed out: the registry's `signedUntil` must
 * cover it (so the key stays published and verifiable for as long as the token lives), and the
 * key must not be revoked. Concurrent requests share one registry call; an instance writes at
 * most once a day and reads once a minute.
 */
export async function readyToSign(key: SigningKey, exp: Date, now: Date): Promise<void> {
  let standing = standings.get(key.kid);
  // A refresh already running may have been for an earlier expiry: then one more.
  for (let i = 0; i < 2 && (!standing || standing.until < exp.getTime() || now.getTime() - standing.checkedAt > RECHECK_MS); i++) {
    standing = await refresh(key, exp, now);
  }
  if (standing!.revoked) {
    throw new SeatkeyError('busy', `Signing key ${key.kid} has been revoked and this instance has no other yet; retry shortly`, { 'Retry-After': '60' });
  }
  if (standing!.until < exp.getTime()) throw new Error(`The signing-key registry does not cover ${key.kid} until ${exp.toISOString()}`);
}

/** Whether a registered key verifies tokens at `now`: not revoked, and its last token still live. */
export const inForce = (record: SigningKeyRecord, now: Date): boolean =>
  !record.revokedAt && (record.signedUntil === undefined || record.signedUntil.getTime() > now.getTime());

/**
 * The public key that verifies a token signed by `kid`, given that kid's registry record (read
 * by the caller, in the same batch as whatever else it reads): the current key unless revoked,
 * or a registered key in force; undefined otherwise.
 */
export async function verificationKey(kid: string, record: SigningKeyRecord | undefined, now: Date): Promise<CryptoKey | undefined> {
  if (record?.revokedAt) return undefined;
  const key = await signingKey();
  if (kid === key.kid) return key.publicKey;
  if (!record || !inForce(record, now)) return undefined;
  return importPublic(record.jwk);
}
