// Session tokens: EdDSA (Ed25519) JWTs an app keeps and anyone can check offline against the
// JWKS. Claims: sub (licence key), fp (fingerprint hash), pid (product), lt (licence type),
// lexp (licence expiry, Unix seconds, or null), aid (activation id), iat, exp.
import type { ActivationRecord } from '../domain/activation.js';
import { forbidden } from '../domain/errors.js';
import { statusAt, type LicenseRecord } from '../domain/license.js';
import { LICENSE_TYPES, type LicenseType } from '../domain/product.js';
import type { ClientSettings } from '../store/productSettings.js';
import { signingKey, verificationKey } from './keys.js';

export interface SessionClaims {
  sub: string;
  fp: string;
  pid: string;
  lt: LicenseType;
  lexp: number | null;
  aid: string;
  iat: number;
  exp: number;
}

const DAY_SECONDS = 86_400;
/** A degraded licence's tokens last a day, so its apps keep checking in while it is reviewed. */
export const DEGRADED_TOKEN_TTL_SECONDS = DAY_SECONDS;
/** validate hands out a fresh token once the old one expires within this. */
export const REFRESH_WITHIN_SECONDS = 7 * DAY_SECONDS;

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/** How long a token issued now for this licence lasts. */
export const tokenTtlSeconds = (license: LicenseRecord, settings: ClientSettings, now: Date): number =>
  statusAt(license, now) === 'degraded' ? DEGRADED_TOKEN_TTL_SECONDS : settings.tokenTtlDays * DAY_SECONDS;

/** Whether validate should replace a token that expires at `exp` (Unix seconds) with a fresh one. */
export const needsRefresh = (exp: number, ttlSeconds: number, now: Date): boolean => {
  const left = exp - seconds(now);
  return left <= REFRESH_WITHIN_SECONDS || left > ttlSeconds;
};

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export async function issueToken(license: LicenseRecord, activation: ActivationRecord, productId: string, ttlSeconds: number, now: Date): Promise<IssuedToken> {
  const [{ SignJWT }, key] = await Promise.all([import('jose'), signingKey(now)]);
  const iat = seconds(now);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({
    fp: activation.fingerprint,
    pid: productId,
    lt: license.licenseType,
    lexp: license.expiresAt ? seconds(license.expiresAt) : null,
    aid: activation.activationId,
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
    .setSubject(license.licenseKey)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
  return { token, expiresAt: new Date(exp * 1000) };
}

const isClaims = (p: Record<string, unknown>): p is Record<string, unknown> & SessionClaims =>
  typeof p.sub === 'string' &&
  typeof p.fp === 'string' &&
  typeof p.pid === 'string' &&
  typeof p.aid === 'string' &&
  (LICENSE_TYPES as readonly unknown[]).includes(p.lt) &&
  (p.lexp === null || typeof p.lexp === 'number') &&
  typeof p.iat === 'number' &&
  typeof p.exp === 'number';

class UnknownKey extends Error {}

/**
 * The claims of a token this server signed for this machine (and this licence, when the caller
 * names one): 403 invalid_token for a bad, expired or foreign token, fingerprint_mismatch for
 * another machine's.
 */
export async function readTokenFor(token: string, holder: { fingerprint: string; licenseKey?: string | undefined }, now: Date): Promise<SessionClaims> {
  const claims = await readToken(token, now);
  if (holder.licenseKey !== undefined && holder.licenseKey !== claims.sub) throw forbidden('invalid_token', 'The session token belongs to another licence');
  if (holder.fingerprint !== claims.fp) throw forbidden('fingerprint_mismatch', 'The session token was issued to another machine');
  return claims;
}

/** The claims of a token this server signed and that has not expired; 403 invalid_token otherwise. */
async function readToken(token: string, now: Date): Promise<SessionClaims> {
  const { jwtVerify, errors } = await import('jose');
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        const key = header.kid === undefined ? undefined : await verificationKey(header.kid, now);
        if (!key) throw new UnknownKey();
        return key;
      },
      { algorithms: ['EdDSA'], typ: 'JWT', currentDate: now },
    );
    if (!isClaims(payload)) throw new errors.JWTInvalid('Missing session claims');
    return { sub: payload.sub, fp: payload.fp, pid: payload.pid, lt: payload.lt, lexp: payload.lexp, aid: payload.aid, iat: payload.iat, exp: payload.exp };
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw forbidden('invalid_token', 'The session token has expired; activate again');
    if (e instanceof errors.JOSEError || e instanceof UnknownKey) throw forbidden('invalid_token', 'Invalid session token');
    throw e;
  }
}
