// Offline verification of Seatkey's session tokens: EdDSA (Ed25519) JWTs whose `kid` names a key
// of the server's JWKS. jose checks the signature and `exp`; this module checks that the token
// belongs to this product and this machine.
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
  iat: number;
  exp: number;
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
  ) {
    super(message);
    this.name = 'TokenRejected';
  }
}

/** The Ed25519 public keys tokens may be signed with, by kid. */
export class KeySet {
  private readonly keys = new Map<string, Promise<CryptoKey | undefined>>();

  /** Adds the usable keys of a JWKS (Ed25519 signing keys with a kid); others are skipped. */
  add(jwks: readonly JWK[]): void {
    for (const jwk of jwks) {
      if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.kid || !jwk.x) continue;
      if ((jwk.alg !== undefined && jwk.alg !== 'EdDSA' && jwk.alg !== 'Ed25519') || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
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
}

/**
 * Verifies `token` and returns its claims, or throws `TokenRejected`. `expired` means a genuine
 * token of this product and machine that has run out, which the caller may renew.
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
  if (claims.pid !== expected.productId) throw new TokenRejected('wrong_product', 'The token is for another product');
  if (claims.fp !== expected.fp) throw new TokenRejected('fingerprint_mismatch', 'The token belongs to another machine');
  // Checked last, so only this machine's own token is ever renewed.
  if (expired) throw new TokenRejected('expired', 'The token has expired');
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
    typeof p.exp === 'number';
  return ok ? ({ ...p, lexp } as TokenClaims) : undefined;
}
