// heartbeat: renews a floating licence's lease; for other licences records that the machine is
// still in use (lastSeen, written at most once per touch interval).
import { z } from 'zod';
import { heartbeatEvery } from '../domain/access.js';
import { countryOf, fingerprintHash } from '../domain/activation.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { iso } from '../http/present.js';
import { clientSettings } from '../store/productSettings.js';
import { beat } from '../store/seats.js';
import { readTokenFor } from '../tokens/session.js';
import { machineFingerprint, sessionToken } from './clientFields.js';

export default clientEndpoint({
  schema: z.object({ licenseKey: licenseKey(), machineFingerprint: machineFingerprint(), token: sessionToken().optional() }),
  handle: async (input, { now, header }) => {
    const fingerprint = fingerprintHash(input.machineFingerprint);
    if (input.token !== undefined) await readTokenFor(input.token, { fingerprint, licenseKey: input.licenseKey }, now);
    const { license, activation, settings } = await beat(input.licenseKey, fingerprint, countryOf(header), now, clientSettings);
    const interval = settings.heartbeatIntervalSeconds;
    return {
      leaseExpiresAt: iso(activation.leaseExpiresAt),
      nextHeartbeatSeconds: license.licenseType === 'floating' ? heartbeatEvery(interval) : interval,
      serverTime: iso(now),
    };
  },
});
