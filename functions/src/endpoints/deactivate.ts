// deactivate: frees the machine's seat (on uninstall, or to move to another machine).
import { z } from 'zod';
import { seatsOf } from '../domain/access.js';
import { fingerprintHash } from '../domain/activation.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { iso } from '../http/present.js';
import { releaseSeat } from '../store/seats.js';
import { machineFingerprint } from './clientFields.js';

export default clientEndpoint({
  limitsAlongside: true,
  schema: z.object({ licenseKey: licenseKey(), machineFingerprint: machineFingerprint() }),
  handle: async (input, ctx) => {
    const { now } = ctx;
    // Counted per key now, judged against the licence's own limit once the transaction read it.
    const limits = ctx.perLicense('deactivate', input.licenseKey);
    const license = await releaseSeat(input.licenseKey, fingerprintHash(input.machineFingerprint), now, (stored) => limits.admit(stored));
    return { ...seatsOf(license), serverTime: iso(now) };
  },
});
