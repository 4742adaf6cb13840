// heartbeat: renews a floating licence's lease; for other licences records that the machine is
// still in use (lastSeen, written at most once per touch interval).
import { z } from 'zod';
import { heartbeatEvery } from '../domain/access.js';
import { fingerprintHash } from '../domain/activation.js';
import { forbidden } from '../domain/errors.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { iso } from '../http/present.js';
import { clientSettings } from '../store/productSettings.js';
import { beat } from '../store/seats.js';
import { readToken } from '../tokens/session.js';
import { machineFingerprint, sessionToken } from './clientFields.js';

export default clientEndpoint({
  schema: z.object({ licenseKey: licenseKey(), machineFingerprint: machineFingerprint(), token: sessionToken().optional() }),
  handle: async (input, { now }) => {
    const fingerprint = fingerprintHash(input.machineFingerprint);
    if (input.token !== undefined) {
      const claims = await readToken(input.token, now);
      if (claims.sub !== input.licenseKey) throw forbidden('invalid_token', 'The session token belongs to another licence');
      if (claims.fp !== fingerprint) throw forbidden('fingerprint_mismatch', 'The session token was issued to another machine');
    }
    const { license, activation, settings } = await beat(input.licenseKey, fingerprint, now, clientSettings);
    const interval = settings.heartbeatIntervalSeconds;
    return {
      leaseExpiresAt: iso(activation.leaseExpiresAt),
      nextHeartbeatSeconds: license.licenseType === 'floating' ? heartbeatEvery(interval) : interval,
      serverTime: iso(now),
    };
  },
});
