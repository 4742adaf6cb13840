// heartbeat: renews a floating licence's lease; for other licences records that the machine is
// still in use (lastSeen, written at most once per touch interval).
//
// Limits: a heartbeat that renews a floating lease counts against that lease's own renewal limit
// only (store/seats.ts), never against the client IP, so hundreds of seats behind one office NAT
// keep their leases; every other heartbeat, refused ones included, counts against the client IP.
import { z } from 'zod';
import { heartbeatEvery } from '../domain/access.js';
import { countryOf, fingerprintHash } from '../domain/activation.js';
import { rateLimitHeaders } from '../domain/limits.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { iso } from '../http/present.js';
import { clientSettings } from '../store/productSettings.js';
import { beat } from '../store/seats.js';
import { readTokenFor } from '../tokens/session.js';
import { machineFingerprint, sessionToken } from './clientFields.js';
import { count, time, when } from '../http/replies.js';

export default clientEndpoint({
  response: z.looseObject({ leaseExpiresAt: when(), nextHeartbeatSeconds: count(), serverTime: time() }),
  limitsInHandler: true,
  schema: z.object({ licenseKey: licenseKey(), machineFingerprint: machineFingerprint(), token: sessionToken().optional() }),
  handle: async (input, ctx) => {
    const { now } = ctx;
    // Counted once however often the transaction runs.
    let ipCount: Promise<void> | undefined;
    const perIp = () => (ipCount ??= ctx.limit('clientIp', ctx.ip));
    const fingerprint = fingerprintHash(input.machineFingerprint);
    if (input.token !== undefined) {
      await readTokenFor(input.token, { fingerprint, licenseKey: input.licenseKey }, now).catch(async (e: unknown) => {
        await perIp();
        throw e;
      });
    }
    const { license, activation, settings, renewal } = await beat(input.licenseKey, fingerprint, countryOf(ctx.header), now, clientSettings, perIp);
    if (renewal) for (const [k, v] of Object.entries(rateLimitHeaders(renewal, now.getTime()))) ctx.setHeader(k, v);
    const interval = settings.heartbeatIntervalSeconds;
    return {
      leaseExpiresAt: iso(activation.leaseExpiresAt),
      nextHeartbeatSeconds: license.licenseType === 'floating' ? heartbeatEvery(interval) : interval,
      serverTime: iso(now),
    };
  },
});
