// Session tokens: EdDSA (Ed25519) JWTs an app keeps and anyone can check offline against the
// JWKS. Claims: sub (licence key), fp (fingerprint hash), pid and aud (the product), iss (this
// deployment), lt (licence type), lexp (licence expiry, Unix seconds, or null), aid (activation
// id), iat (when the server signed it: the app's signed "seen online" time) and exp, which never
// passes the licence's own expiry.
import { TOKEN_ISSUER } from '../config.js';
import type { ActivationRecord } from '../domain/activation.js';
import { forbidden } from '../domain/errors.js';
import { endsAt, statusAt, type LicenseRecord } from '../domain/license.js';
import { once } from '../domain/once.js';
import { LICENSE_TYPES, type LicenseType } from '../domain/product.js';
import { projectId } from '../store/firestore.js';
import type { ClientSettings } from '../store/productSettings.js';
import { getSigningKey, type SigningKeyRecord } from '../store/signingKeys.js';
import { KID_PATTERN, readyToSign, signingKey, verificationKey } from './keys.js';

/** The `iss` of every token: TOKEN_ISSUER, else the Firebase project id. */
export const tokenIssuer = (): string => TOKEN_ISSUER.value() || projectId();

export interface SessionClaims {
  sub: string;
  fp: string;
  pid: string;
  aud: string;
  iss: string;
  lt: LicenseType;
  lexp: number | null;
  aid: string;
  iat: number;
  exp: number;
}

const jose = once(() => import('jose'));

const DAY_SECONDS = 86_400;
/** A degraded licence's tokens last a day, so its apps keep checking in while it is reviewed. */
export const DEGRADED_TOKEN_TTL_SECONDS = DAY_SECONDS;
const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/** How long a token lasts: the product's tokenTtlDays, or a day while the licence is degraded. */
export const tokenTtlSeconds = (license: LicenseRecord, settings: ClientSettings, now: Date): number =>
  statusAt(license, now) === 'degraded' ? DEGRADED_TOKEN_TTL_SECONDS : settings.tokenTtlDays * DAY_SECONDS;

/**
 * The licence as a verified token describes it (what validate signs from while it reads the
 * licence): `lexp` is already its end, grace included.
 */
export const licenseOfClaims = (c: SessionClaims): Pick<LicenseRecord, 'licenseKey' | 'licenseType' | 'expiresAt'> => ({
  licenseKey: c.sub,
  licenseType: c.lt,
  expiresAt: c.lexp === null ? null : new Date(c.lexp * 1000),
});

/** Whether a token signed from `claims` says of the licence what one signed from `license` would. */
export const sameTerms = (c: SessionClaims, license: Pick<LicenseRecord, 'licenseType' | 'expiresAt' | 'graceDays'>): boolean =>
  c.lt === license.licenseType && c.lexp === lexpOf(license);

/** The `lexp` claim: when the licence stops working (its expiry plus any grace), Unix seconds. */
const lexpOf = (license: Pick<LicenseRecord, 'expiresAt' | 'graceDays'>): number | null => {
  const end = endsAt(license);
  return end ? seconds(end) : null;
};

/** A token signed now lives `ttlSeconds`, but never past the licence's end (grace included). */
export const tokenExpiry = (license: Pick<LicenseRecord, 'expiresAt' | 'graceDays'>, ttlSeconds: number, now: Date): number => {
  const exp = seconds(now) + ttlSeconds;
  const lexp = lexpOf(license);
  return lexp !== null ? Math.min(exp, lexp) : exp;
};

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export async function issueToken(
  license: Pick<LicenseRecord, 'licenseKey' | 'licenseType' | 'expiresAt' | 'graceDays'>,
  activation: Pick<ActivationRecord, 'fingerprint' | 'activationId'>,
  productId: string,
  ttlSeconds: number,
  now: Date,
): Promise<IssuedToken> {
  const [{ SignJWT }, key] = await Promise.all([jose(), signingKey()]);
  const exp = tokenExpiry(license, ttlSeconds, now);
  await readyToSign(key, new Date(exp * 1000), now);
  const token = await new SignJWT({
    fp: activation.fingerprint,
    pid: productId,
    lt: license.licenseType,
    lexp: lexpOf(license),
    aid: activation.activationId,
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
    .setSubject(license.licenseKey)
    .setAudience(productId)
    .setIssuer(tokenIssuer())
    .setIssuedAt(seconds(now))
    .setExpirationTime(exp)
    .sign(key.privateKey);
  return { token, expiresAt: new Date(exp * 1000) };
}

const isClaims = (p: Record<string, unknown>): p is Record<string, unknown> & SessionClaims =>
  typeof p.sub === 'string' &&
  typeof p.fp === 'string' &&
  typeof p.pid === 'string' &&
  p.aud === p.pid &&
  typeof p.iss === 'string' &&
  typeof p.aid === 'string' &&
  (LICENSE_TYPES as readonly unknown[]).includes(p.lt) &&
  (p.lexp === null || typeof p.lexp === 'number') &&
  typeof p.iat === 'number' &&
  typeof p.exp === 'number';

class UnknownKey extends Error {}

/** What a token says about itself before anything is checked (to read its key's record and seat alongside). */
export async function unverifiedToken(token: string): Promise<{ kid?: string; sub?: string }> {
  const { decodeJwt, decodeProtectedHeader } = await jose();
  try {
    const { kid } = decodeProtectedHeader(token);
    const { sub } = decodeJwt(token);
    return { kid: typeof kid === 'string' ? kid : undefined, sub: typeof sub === 'string' ? sub : undefined };
  } catch {
    return {};
  }
}

/** The registry record of the key that signed `token`, when the caller has not read it already. */
async function keyRecordOf(token: string): Promise<SigningKeyRecord | undefined> {
  const { kid } = await unverifiedToken(token);
  return kid === undefined || !KID_PATTERN.test(kid) ? undefined : getSigningKey(kid);
}

export interface TokenHolder {
  fingerprint: string;
  licenseKey?: string | undefined;
  /** The product the caller is asking about: a token for another is wrong_product. */
  productId?: string | undefined;
}

/**
 * The claims of a token this server signed for this machine (and this licence and product, when
 * the caller names them), with a key in force: 403 invalid_token for a bad, expired, foreign or
 * revoked-key token, fingerprint_mismatch for another machine's, wrong_product for another
 * product's. `keyRecord` is the signing key's registry record if the caller read it already.
 */
export async function readTokenFor(
  token: string,
  holder: TokenHolder,
  now: Date,
  keyRecord?: Promise<SigningKeyRecord | undefined>,
  onSigned?: (claims: SessionClaims) => void,
): Promise<SessionClaims> {
  const record = keyRecord ?? keyRecordOf(token);
  // Not awaited when the token is refused before its key is looked up.
  record.catch(() => undefined);
  const claims = await readToken(token, record, now, onSigned);
  if (holder.licenseKey !== undefined && holder.licenseKey !== claims.sub) throw forbidden('invalid_token', 'The session token belongs to another licence');
  if (holder.fingerprint !== claims.fp) throw forbidden('fingerprint_mismatch', 'The session token was issued to another machine');
  if (holder.productId !== undefined && holder.productId !== claims.aud) throw forbidden('wrong_product', `This session token is not for product "${holder.productId}"`);
  return claims;
}

/**
 * The claims of a token this server signed and that has not expired; 403 invalid_token otherwise.
 * A token of the current key is checked against that key at once, without waiting for its
 * registry record: `onSigned` then learns the claims while the record (a revocation) is still
 * being read, and the token is refused after all if the record says the key is revoked. Any other
 * key is used only once its record shows it in force, and `onSigned` is called after that.
 */
async function readToken(token: string, keyRecord: Promise<SigningKeyRecord | undefined>, now: Date, onSigned?: (claims: SessionClaims) => void): Promise<SessionClaims> {
  const { jwtVerify, errors } = await jose();
  try {
    let pendingKid: string | undefined;
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        if (header.kid === undefined) throw new UnknownKey();
        const current = await signingKey();
        if (header.kid === current.kid) {
          pendingKid = current.kid;
          return current.publicKey;
        }
        const key = await verificationKey(header.kid, await keyRecord, now);
        if (!key) throw new UnknownKey();
        return key;
      },
      { algorithms: ['EdDSA'], typ: 'JWT', issuer: tokenIssuer(), requiredClaims: ['aud', 'iss'], currentDate: now },
    );
    if (!isClaims(payload)) throw new errors.JWTInvalid('Missing session claims');
    const { sub, fp, pid, aud, iss, lt, lexp, aid, iat, exp } = payload;
    const claims = { sub, fp, pid, aud, iss, lt, lexp, aid, iat, exp };
    onSigned?.(claims);
    // The current key's own rule in verificationKey: in force unless its record says revoked.
    if (pendingKid !== undefined && !(await verificationKey(pendingKid, await keyRecord, now))) throw new UnknownKey();
    return claims;
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw forbidden('invalid_token', 'The session token has expired; activate again');
    if (e instanceof errors.JOSEError || e instanceof UnknownKey) throw forbidden('invalid_token', 'Invalid session token');
    throw e;
  }
}
