// validate: checks a session token (signature, expiry, issuer, machine, product, its key still in
// force) against the licence's current state and returns a fresh token on every success: its iat
// is the server's signed "seen online" time. The licence, the machine's activation and the
// signing key's record are one batched read; nothing is written (but the key registry's rare
// raise, tokens/keys.ts).
import { z } from 'zod';
import { refusalOf, seatsOf, warningOf } from '../domain/access.js';
import { fingerprintHash } from '../domain/activation.js';
import { forbidden, notFound } from '../domain/errors.js';
import { statusAt } from '../domain/license.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey, slug } from '../http/fields.js';
import { iso } from '../http/present.js';
import { clientSettings } from '../store/productSettings.js';
import { peekSeat } from '../store/seats.js';
import { issueToken, licenseOfClaims, readTokenFor, sameTerms, tokenTtlSeconds, unverifiedToken } from '../tokens/session.js';
import { machineFingerprint, sessionToken } from './clientFields.js';

export default clientEndpoint({
  shape: 'valid',
  limitsAlongside: true,
  schema: z.object({ token: sessionToken(), machineFingerprint: machineFingerprint(), licenseKey: licenseKey().optional(), productId: slug().optional() }),
  handle: async (input, ctx) => {
    const { now } = ctx;
    const fingerprint = fingerprintHash(input.machineFingerprint);
    // Read what the token names while its signature is checked; nothing read is trusted until then.
    const named = await unverifiedToken(input.token);
    const seat = peekSeat(input.licenseKey ?? named.sub ?? '', fingerprint, named.kid);
    const keyRecord = seat.then((s) => s.signingKey);
    // Awaited below unless the token is refused first; a failed read then surfaces there.
    seat.catch(() => undefined);
    keyRecord.catch(() => undefined);
    const claims = await readTokenFor(input.token, { fingerprint, licenseKey: input.licenseKey, productId: input.productId }, now, keyRecord);
    // Counted per licence only once the token proves which licence it is.
    ctx.count('validate', claims.sub);
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
    if (!activation?.sessionActive || activation.activationId !== claims.aid) {
      throw forbidden('not_activated', 'This machine is no longer activated on this licence; activate it again');
    }
    const ttl = tokenTtlSeconds(license, await settings, now);
    const fresh = sameTerms(claims, license) && ttl === (await standardTtl) ? await early : await issueToken(license, activation, claims.pid, ttl, now);
    return {
      token: fresh.token,
      refreshed: true,
      expiresAt: iso(fresh.expiresAt),
      status: statusAt(license, now),
      licenseExpiresAt: iso(license.expiresAt),
      licenseType: license.licenseType,
      productId: claims.pid,
      ...seatsOf(license),
      ...warningOf(license, now),
      serverTime: iso(now),
    };
  },
});
