// Offline verification of Seatkey's session tokens: EdDSA (Ed25519) JWTs whose `kid` names a key
// of the server's JWKS. jose checks the signature and `exp`; this module checks that the token
// belongs to this product (`pid`, and `aud` when present), this deployment (`iss`, when the app
// names one) and this machine (`fp`).
import { createHash, webcrypto } from 'node:crypto';
import { decodeJwt, errors, importJWK, jwtVerify, type CryptoKey, type JWK, type JWTHeaderParameters } from 'jose';

// jose verifies through the Web Crypto global, which Node 18 (and Electron before 28) has only
// behind a flag; the same implementation is always in node:crypto.
if (!globalThis.crypto) Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true, writable: true });

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
export type PublicJwk = JWK & { kty: 'OKP'; crv: 'Ed25519'; kid: string; x: string };

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

/** The Ed25519 public keys tokens may be signed with, by kid. */
export class KeySet {
  private readonly keys = new Map<string, Promise<CryptoKey | undefined>>();

  /** Adds the usable keys of a JWKS (Ed25519 signing keys with a kid); others are skipped. */
  add(jwks: unknown): void {
    for (const jwk of publicJwks(jwks)) {
      if (this.keys.has(jwk.kid)) continue;
      // A key that will not import is as good as absent.
      this.keys.set(
        jwk.kid,
        importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, 'EdDSA').then(
          (k) => k as CryptoKey,
          () => undefined,
        ),
      );
    }
  }

  async get(kid: string | undefined): Promise<CryptoKey | undefined> {
    return kid === undefined ? undefined : this.keys.get(kid);
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
export async function verifyToken(token: string, keys: KeySet, expected: Expected): Promise<TokenClaims> {
  const getKey = async (header: JWTHeaderParameters): Promise<CryptoKey> => {
    const key = await keys.get(header.kid);
    if (!key) throw new TokenRejected('unknown_key', 'The token is signed with a key this client does not know');
    return key;
  };
  let payload: Record<string, unknown>;
  let expired = false;
  try {
    ({ payload } = await jwtVerify(token, getKey, { algorithms: ['EdDSA', 'Ed25519'], currentDate: new Date(expected.now) }));
  } catch (e) {
    if (e instanceof TokenRejected) throw e;
    // jose checks claims only once the signature is good, so an expired token is a genuine one.
    if (!(e instanceof errors.JWTExpired)) throw new TokenRejected('invalid', 'The token is not a valid Seatkey token');
    payload = e.payload;
    expired = true;
  }
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

/** A token's claims without checking its signature: for showing what is cached, never for trusting it. */
export function decodeClaims(token: string): TokenClaims | undefined {
  try {
    return readClaims(decodeJwt(token));
  } catch {
    return undefined;
  }
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
