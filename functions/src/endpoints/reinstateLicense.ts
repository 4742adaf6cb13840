// reinstateLicense: a suspended, degraded or revoked licence is active again (CG's creator tool
// uses Reinstate for both suspended and revoked): not revoked, no dispute, admin status active,
// every unresolved violation resolved (they stay listed), so threatLevel is 0. Its activations
// are as they were. An already active licence with nothing to clear is left alone. `reason` is
// recorded in the event.
import { z } from 'zod';
import { REVOKE_REASONS, baseStatusOf, threatLevelOf } from '../domain/license.js';
import { adminEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { reinstate } from '../store/licenseChanges.js';
import { licenseReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ license: licenseReply }),
  schema: z.object({ licenseKey: licenseKey(), reason: z.enum(REVOKE_REASONS).optional() }),
  handle: async (input, { caller, now }) => {
    const license = await reinstate(caller, input.licenseKey, now, (before, after, resolvedViolationIds) => ({
      reason: input.reason ?? null,
      revokeReason: before.revokeReason,
      previousStatus: baseStatusOf(before),
      previousThreatLevel: threatLevelOf(before),
      resolvedViolationIds,
      license: presentLicense(after, now),
    }));
    return { license: presentLicense(license, now) };
  },
});
