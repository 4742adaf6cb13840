// reinstateLicense: a revoked licence works again, with the activations it had. Reinstating one
// that is not revoked changes nothing. `reason` is recorded in the event.
import { z } from 'zod';
import { REVOKE_REASONS } from '../domain/license.js';
import { reinstateLicense } from '../domain/licenseChanges.js';
import { adminEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { changeLicense } from '../store/licenseChanges.js';

export default adminEndpoint({
  schema: z.object({ licenseKey: licenseKey(), reason: z.enum(REVOKE_REASONS).optional() }),
  handle: async (input, { caller, now }) => {
    const license = await changeLicense(caller, input.licenseKey, now, (current) => {
      if (!current.revoked) return undefined;
      const next = reinstateLicense(current, now);
      return {
        license: next,
        event: 'license.reinstated',
        data: { reason: input.reason ?? null, revokeReason: current.revokeReason, license: presentLicense(next, now) },
      };
    });
    return { license: presentLicense(license, now) };
  },
});
