// validate: checks a session token (signature, expiry, machine) against the licence's current
// state and returns a fresh token when the old one is close to expiry. Read-only: the token is
// checked in memory, then the licence and the machine's activation are one batched read.
import { z } from 'zod';
import { refusalOf, seatsOf, warningOf } from '../domain/access.js';
import { fingerprintHash } from '../domain/activation.js';
import { forbidden, notFound } from '../domain/errors.js';
import { statusAt } from '../domain/license.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { iso } from '../http/present.js';
import { clientSettings } from '../store/productSettings.js';
import { peekSeat } from '../store/seats.js';
import { issueToken, needsRefresh, readTokenFor, tokenTtlSeconds } from '../tokens/session.js';
import { machineFingerprint, sessionToken } from './clientFields.js';

export default clientEndpoint({
  shape: 'valid',
  limitsAlongside: true,
  schema: z.object({ token: sessionToken(), machineFingerprint: machineFingerprint(), licenseKey: licenseKey().optional() }),
  handle: async (input, ctx) => {
    const { now } = ctx;
    const claims = await readTokenFor(input.token, { fingerprint: fingerprintHash(input.machineFingerprint), licenseKey: input.licenseKey }, now);
    // Counted per licence only once the token proves which licence it is.
    ctx.count('validate', claims.sub);
    const settings = clientSettings(claims.pid);
    settings.catch(() => undefined);
    const { license, activation } = await peekSeat(claims.sub, claims.fp);
    if (!license) throw notFound('Licence');
    const refusal = refusalOf(license, now, claims.pid);
    if (refusal) throw refusal;
    if (!activation?.sessionActive || activation.activationId !== claims.aid) {
      throw forbidden('not_activated', 'This machine is no longer activated on this licence; activate it again');
    }
    const ttl = tokenTtlSeconds(license, await settings, now);
    const refreshed = needsRefresh(claims.exp, ttl, now);
    const fresh = refreshed ? await issueToken(license, activation, claims.pid, ttl, now) : undefined;
    return {
      token: fresh?.token ?? input.token,
      refreshed,
      expiresAt: iso(fresh?.expiresAt ?? new Date(claims.exp * 1000)),
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
