// Offline verification of Seatkey's session tokens: EdDSA (Ed25519) JWTs whose `kid` names a key
// of the server's JWKS. The signature is checked with node:crypto's own Ed25519 and a KeyObject
// made once per key: jose's path goes through WebCrypto, whose promise and thread-pool hop cost
// as much as the signature itself, and validate() runs on every start of an app. Everything jose
// checked is still checked here, in the same order: the compact form, the header's `alg` (EdDSA
// only) and `crit`, the key, the signature, then the claims (`exp`, `nbf`, `iat` and Seatkey's
// own: `pid`, `aud`, `iss`, `fp`).
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

export type LicenseType = 'per-machine' | 'floating' | 'site';
const LICENSE_TYPES: readonly unknown[] = ['per-machine', 'floating', 'site'] satisfies LicenseType[];

export interface TokenClaims {
  /** The licence key. */
  sub: string;
  /** base64url(SHA-256(machine fingerprint)). */
  fp: string;
  pid: string;
  lt: LicenseType;
  /** The licence's expiry (Unix seconds), null when perpetual. */
  lexp: number | null;
  /** When the server signed it (Unix seconds): the last time it vouched for this machine. */
  iat: number;
  exp: number;
  /** The product (servers before aud/iss send neither). */
  aud?: string | string[];
  /** The deployment that signed it. */
  iss?: string;
}

/** What the `fp` claim holds for a machine fingerprint. */
export const fingerprintClaim = (fingerprint: string): string => createHash('sha256').update(fingerprint, 'utf8').digest('base64url');

/** Why a token did not verify; the client decides what each means where it met it. */
export type TokenProblem =
  | 'unknown_key' // its kid is in no key we have (yet)
  | 'invalid' // malformed, bad signature, wrong algorithm or missing claims
  | 'expired'
  | 'fingerprint_mismatch'
  | 'wrong_product';

export class TokenRejected extends Error {
  constructor(
    readonly problem: TokenProblem,
    message: string,
    /** For `expired`: the genuine token's claims. */
    readonly claims?: TokenClaims,
  ) {
    super(message);
    this.name = 'TokenRejected';
  }
}

/** An Ed25519 public key as a JWKS lists it. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  kid: string;
  x: string;
  alg?: string;
  use?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The Ed25519 signing keys of a JWKS (or of its `keys`), each cut down to its public members:
 * anything else (another key type, an encryption key, a member that is not a string) is
 * dropped, and a private member never passes.
 */
export function publicJwks(value: unknown): PublicJwk[] {
  const list = isObject(value) ? value.keys : value;
  if (!Array.isArray(list)) return [];
  return list.flatMap((k: unknown) => {
    if (!isObject(k) || k.kty !== 'OKP' || k.crv !== 'Ed25519' || typeof k.kid !== 'string' || !k.kid || typeof k.x !== 'string' || !k.x) return [];
    if ((k.alg !== undefined && k.alg !== 'EdDSA' && k.alg !== 'Ed25519') || (k.use !== undefined && k.use !== 'sig')) return [];
    return [{ kty: 'OKP', crv: 'Ed25519', kid: k.kid, x: k.x, alg: 'EdDSA', use: 'sig' } satisfies PublicJwk];
  });
}

/** The Ed25519 public keys tokens may be signed with, by kid, each imported once. */
export class KeySet {
  private readonly keys = new Map<string, KeyObject | undefined>();

  /** Adds the usable keys of a JWKS (Ed25519 signing keys with a kid); others are skipped. */
  add(jwks: unknown): void {
    for (const jwk of publicJwks(jwks)) {
      if (this.keys.has(jwk.kid)) continue;
      this.keys.set(jwk.kid, importEd25519(jwk.x));
    }
  }

  get(kid: unknown): KeyObject | undefined {
    return typeof kid === 'string' ? this.keys.get(kid) : undefined;
  }
}

/** A public key from its JWK `x`; one that will not import (wrong length, not base64url) is as good as absent. */
function importEd25519(x: string): KeyObject | undefined {
  if (!BASE64URL.test(x)) return undefined;
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

export interface Expected {
  productId: string;
  /** fingerprintClaim(this machine's fingerprint). */
  fp: string;
  /** Milliseconds since the epoch to check `exp` against. */
  now: number;
  /** The deployment's `iss`, when the app names one. */
  issuer?: string | undefined;
}

/**
 * Verifies `token` and returns its claims, or throws `TokenRejected`. `expired` means a genuine
 * token of this product and machine that has run out, which the caller may renew.
 *
 * `aud` and `iss` are checked when the token has them. Tokens from servers before they were
 * added have neither, and are still accepted: `pid` names the product either way, and a
 * signature by this deployment's key already says who issued it.
 */
export function verifyToken(token: string, keys: KeySet, expected: Expected): TokenClaims {
  const payload = verifySignature(token, keys);
  // Claims are read only once the signature is good, so an expired token is a genuine one.
  const now = Math.floor(expected.now / 1000);
  if (payload.iat !== undefined && typeof payload.iat !== 'number') throw invalid();
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now)) throw invalid();
  if (payload.exp !== undefined && typeof payload.exp !== 'number') throw invalid();
  const expired = typeof payload.exp === 'number' && payload.exp <= now;
  const claims = readClaims(payload);
  if (!claims) throw new TokenRejected('invalid', 'The token lacks Seatkey claims');
  const audience = claims.aud === undefined ? [expected.productId] : typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
  if (claims.pid !== expected.productId || !audience.includes(expected.productId)) throw new TokenRejected('wrong_product', 'The token is for another product');
  if (expected.issuer !== undefined && claims.iss !== undefined && claims.iss !== expected.issuer) throw new TokenRejected('invalid', 'The token was issued by another Seatkey');
  if (claims.fp !== expected.fp) throw new TokenRejected('fingerprint_mismatch', 'The token belongs to another machine');
  // Checked last, so only this machine's own token is ever renewed.
  if (expired) throw new TokenRejected('expired', 'The token has expired', claims);
  return claims;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** What jose (and RFC 8037) accept as the name of Ed25519 signatures. */
const ALGORITHMS: readonly unknown[] = ['EdDSA', 'Ed25519'];
const invalid = (): TokenRejected => new TokenRejected('invalid', 'The token is not a valid Seatkey token');

/**
 * The payload of a compact JWS whose Ed25519 signature verifies with the key its header names,
 * or a TokenRejected: `unknown_key` when no key has that kid, else `invalid`. Strict where a
 * lenient parser would let one token take many spellings: three parts, base64url without
 * padding or stray characters, a JSON object in the header and the payload, an `alg` of
 * EdDSA, no `crit` (no extension is understood), a 64-byte signature.
 */
function verifySignature(token: string, keys: KeySet): Record<string, unknown> {
  if (typeof token !== 'string') throw invalid();
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1) throw invalid();
  const h = token.slice(0, first);
  const p = token.slice(first + 1, second);
  const s = token.slice(second + 1);
  if (!BASE64URL.test(h) || !BASE64URL.test(p) || !BASE64URL.test(s)) throw invalid();
  const header = jsonObject(h);
  if (!header || !ALGORITHMS.includes(header.alg) || header.crit !== undefined || (header.b64 !== undefined && header.b64 !== true)) throw invalid();
  const key = keys.get(header.kid);
  if (!key) throw new TokenRejected('unknown_key', 'The token is signed with a key this client does not know');
  const signature = Buffer.from(s, 'base64url');
  if (signature.length !== 64) throw invalid();
  let good: boolean;
  try {
    good = verify(null, Buffer.from(token.slice(0, second), 'latin1'), key, signature);
  } catch {
    good = false;
  }
  if (!good) throw invalid();
  const payload = jsonObject(p);
  if (!payload) throw invalid();
  return payload;
}

/**
 * The JSON object a base64url segment holds, or undefined. The same few segments come back on
 * every validate() (one header per signing key, the cached token's payload), so the last few
 * decodings are kept, frozen: decoding is a pure function of the segment, and the signature
 * over it is still checked on every call.
 */
function jsonObject(segment: string): Readonly<Record<string, unknown>> | undefined {
  if (decoded.has(segment)) return decoded.get(segment);
  let object: Record<string, unknown> | undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    object = isObject(value) ? deepFreeze(value) : undefined;
  } catch {
    object = undefined;
  }
  if (decoded.size >= DECODED_KEPT) decoded.clear();
  decoded.set(segment, object);
  return object;
}
const DECODED_KEPT = 16;
const decoded = new Map<string, Readonly<Record<string, unknown>> | undefined>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A token's claims without checking its signature: for showing what is cached, never for trusting it. */
export function decodeClaims(token: string): TokenClaims | undefined {
  const parts = typeof token === 'string' ? token.split('.') : [];
  const payload = parts.length === 3 && BASE64URL.test(parts[1]!) ? jsonObject(parts[1]!) : undefined;
  return payload && readClaims(payload);
}

function readClaims(p: Record<string, unknown>): TokenClaims | undefined {
  const lexp = p.lexp ?? null;
  const ok =
    typeof p.sub === 'string' &&
    typeof p.fp === 'string' &&
    typeof p.pid === 'string' &&
    LICENSE_TYPES.includes(p.lt) &&
    (lexp === null || typeof lexp === 'number') &&
    typeof p.iat === 'number' &&
    typeof p.exp === 'number' &&
    (p.aud === undefined || typeof p.aud === 'string' || (Array.isArray(p.aud) && p.aud.every((a) => typeof a === 'string'))) &&
    (p.iss === undefined || typeof p.iss === 'string');
  return ok ? ({ ...p, lexp } as TokenClaims) : undefined;
}
