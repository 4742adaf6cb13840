// validate: says whether this machine may use the licence now, and returns a fresh token when it
// may. With a session token it checks the token (signature, expiry, issuer, machine, product, its
// key still in force) against the licence's current state; every success is a fresh token whose
// iat is the server's signed "seen online" time. Without one (LVS's verify, Paperkey's validate)
// it takes the licence key and fingerprint and answers `isActivated`: false, with no token, for a
// good licence this machine holds no seat on. The licence, the machine's activation and the
// signing key's record are one batched read; the only write is `lastSeen`, at most once per touch
// interval (and the key registry's rare raise, tokens/keys.ts).
import { z } from 'zod';
import { refusalOf, seatsOf, warningOf } from '../domain/access.js';
import type { ActivationRecord } from '../domain/activation.js';
import { fingerprintHash } from '../domain/activation.js';
import { deviceBlocked, forbidden, notFound } from '../domain/errors.js';
import { statusAt, type LicenseRecord } from '../domain/license.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey, slug } from '../http/fields.js';
import { iso } from '../http/present.js';
import { clientSettings } from '../store/productSettings.js';
import { peekSeat, touchLastSeen } from '../store/seats.js';
import { issueToken, licenseOfClaims, readTokenFor, sameTerms, tokenTtlSeconds, unverifiedToken, type IssuedToken } from '../tokens/session.js';
import { machineFingerprint, sessionToken } from './clientFields.js';
import { licenseStatus, seats, time, warning, when } from '../http/replies.js';

/** The licence's state as validate replies carry it, whether or not a token goes with it. */
const licenseState = (license: LicenseRecord, productId: string, now: Date) => ({
  status: statusAt(license, now),
  licenseExpiresAt: iso(license.expiresAt),
  licenseType: license.licenseType,
  productId,
  ...seatsOf(license),
  ...warningOf(license, now),
  serverTime: iso(now),
});

const activated = (license: LicenseRecord, productId: string, activation: ActivationRecord, fresh: IssuedToken, now: Date) => ({
  isActivated: true,
  activationId: activation.activationId,
  token: fresh.token,
  refreshed: true,
  expiresAt: iso(fresh.expiresAt),
  ...licenseState(license, productId, now),
});

export default clientEndpoint({
  example: {
    request: { token: 'eyJhbGciOiJFZERTQSIsImtpZCI6IjEifQ.eyJzdWIiOiJBQ01FIn0.c2lnbmF0dXJl', machineFingerprint: 'c0ffee-4a1b-device' },
    response: {
      valid: true,
      isActivated: true,
      activationId: 'act_9f2c1e7a',
      token: 'eyJhbGciOiJFZERTQSIsImtpZCI6IjEifQ.eyJzdWIiOiJBQ01FIiwiaWF0IjoyfQ.c2lnbmF0dXJl',
      refreshed: true,
      expiresAt: '2026-12-30T09:00:00.000Z',
      status: 'active',
      licenseExpiresAt: null,
      licenseType: 'per-machine',
      productId: 'photo-app',
      machinesUsed: 1,
      maxMachines: 3,
      serverTime: '2026-11-30T09:00:00.000Z',
    },
  },
  response: z.looseObject({
    isActivated: z.boolean(),
    activationId: z.string().optional(),
    token: z.string().optional(),
    refreshed: z.boolean().optional(),
    expiresAt: time().optional(),
    status: licenseStatus,
    licenseExpiresAt: when(),
    licenseType: z.string(),
    productId: z.string(),
    ...seats,
    ...warning,
    serverTime: time(),
  }),
  shape: 'valid',
  limitsAlongside: true,
  // Its per-licence count waits for the token's signature: the per-IP count shares its commit.
  ipCountJoinsHandler: true,
  schema: z
    .object({ token: sessionToken().optional(), machineFingerprint: machineFingerprint(), licenseKey: licenseKey().optional(), productId: slug().optional() })
    .refine((v) => v.token !== undefined || v.licenseKey !== undefined, { message: 'give a token, or a licenseKey with the machineFingerprint', path: ['token'] }),
  handle: async (input, ctx) => {
    const { now } = ctx;
    const fingerprint = fingerprintHash(input.machineFingerprint);
    if (input.token === undefined) {
      const key = input.licenseKey as string;
      ctx.count('validate', key);
      const { license, activation } = await peekSeat(key, fingerprint);
      if (!license) throw notFound('Licence');
      const refusal = refusalOf(license, now, input.productId);
      if (refusal) throw refusal;
      if (activation?.blocked) throw deviceBlocked();
      const productId = input.productId ?? license.productId;
      if (!activation?.sessionActive) return { isActivated: false, ...licenseState(license, productId, now) };
      const ttl = tokenTtlSeconds(license, await clientSettings(productId), now);
      const [fresh] = await Promise.all([issueToken(license, activation, productId, ttl, now), touchLastSeen(activation, now)]);
      return activated(license, productId, activation, fresh, now);
    }
    const token = input.token;
    // Read what the token names while its signature is checked; nothing read is trusted until then.
    const named = await unverifiedToken(token);
    const seat = peekSeat(input.licenseKey ?? named.sub ?? '', fingerprint, named.kid);
    const keyRecord = seat.then((s) => s.signingKey);
    // Awaited below unless the token is refused first; a failed read then surfaces there.
    seat.catch(() => undefined);
    keyRecord.catch(() => undefined);
    // Counted per licence only once the token's signature proves which licence it is: with the
    // current key that is before its registry record is back, so the count runs beside the reads.
    const claims = await readTokenFor(token, { fingerprint, licenseKey: input.licenseKey, productId: input.productId }, now, keyRecord, (signed) =>
      ctx.count('validate', signed.sub),
    );
    const settings = clientSettings(claims.pid);
    // The fresh token is signed while the licence is read, from what the verified token says of
    // it; below it is signed again if the licence now says otherwise (or is degraded).
    const standardTtl = settings.then((s) => s.tokenTtlDays * 86_400);
    const early = standardTtl.then((ttl) => issueToken(licenseOfClaims(claims), { fingerprint: claims.fp, activationId: claims.aid }, claims.pid, ttl, now));
    early.catch(() => undefined);
    // A verified token's sub is the one read above (and equals licenseKey when that was given).
    const { license, activation } = await seat;
    if (!license) throw notFound('Licence');
    const refusal = refusalOf(license, now, claims.pid);
    if (refusal) throw refusal;
    if (activation?.blocked) throw deviceBlocked();
    if (!activation?.sessionActive || activation.activationId !== claims.aid) {
      throw forbidden('not_activated', 'This machine is no longer activated on this licence; activate it again');
    }
    const ttl = tokenTtlSeconds(license, await settings, now);
    const [fresh] = await Promise.all([
      sameTerms(claims, license) && ttl === (await standardTtl) ? early : issueToken(license, activation, claims.pid, ttl, now),
      touchLastSeen(activation, now),
    ]);
    return activated(license, claims.pid, activation, fresh, now);
  },
});
