// The signing key (the SIGNING_KEY secret: an Ed25519 private key as a one-line JWK with a kid),
// its registration in signingKeys/ the first time this instance uses it, and the public keys
// that verify tokens: the current one, or a retired one looked up by kid.
import type { CryptoKey } from 'jose';
import { SIGNING_KEY } from '../config.js';
import { getSigningKey, registerSigningKey, type PublicJwk } from '../store/signingKeys.js';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: PublicJwk;
}

/** kids become Firestore document ids, so they are held to a safe alphabet. */
const KID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const asPublicJwk = (kid: string, x: string): PublicJwk => ({ kty: 'OKP', crv: 'Ed25519', kid, x, alg: 'EdDSA', use: 'sig' });

async function importPublic(jwk: PublicJwk): Promise<CryptoKey> {
  const { importJWK } = await import('jose');
  return (await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, 'EdDSA')) as CryptoKey;
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
const registered = new Map<string, Promise<void>>();

/**
 * The current signing key, recorded in signingKeys/ on this instance's first use so the JWKS
 * publishes it (one write per instance, not per token).
 */
export function signingKey(now: Date): Promise<SigningKey> {
  const raw = SIGNING_KEY.value();
  if (current?.raw !== raw) current = { raw, key: load(raw) };
  const key = current.key;
  return key.then((k) => {
    let done = registered.get(k.kid);
    if (!done) {
      done = registerSigningKey({ kid: k.kid, jwk: k.publicJwk, registeredAt: now });
      registered.set(k.kid, done);
      done.catch(() => registered.delete(k.kid));
    }
    return done.then(() => k);
  });
}

const retired = new Map<string, Promise<CryptoKey | undefined>>();

/** The public key for `kid`: the current key's, or a registered retired one's; undefined if unknown. */
export async function verificationKey(kid: string, now: Date): Promise<CryptoKey | undefined> {
  const key = await signingKey(now);
  if (kid === key.kid) return key.publicKey;
  if (!KID_PATTERN.test(kid)) return undefined;
  let found = retired.get(kid);
  if (!found) {
    found = getSigningKey(kid).then((r) => (r ? importPublic(r.jwk) : undefined));
    // Only keys that exist are remembered: a kid registered later is found on its next use.
    found.then((k) => k === undefined && retired.delete(kid), () => retired.delete(kid));
    retired.set(kid, found);
  }
  return found;
}
