// revokeLicense: the licence stops working at once (verify, activate and validate refuse it with
// 403 revoked). Its activations stay on record, so reinstating restores it as it was.
import { z } from 'zod';
import { REVOKE_REASONS } from '../domain/license.js';
import { revokeLicense } from '../domain/licenseChanges.js';
import { adminEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { changeLicense } from '../store/licenseChanges.js';
import { licenseReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ license: licenseReply }),
  schema: z.object({ licenseKey: licenseKey(), reason: z.enum(REVOKE_REASONS).default('manual') }),
  handle: async (input, { caller, now }) => {
    const license = await changeLicense(caller, input.licenseKey, now, (current) => {
      // Revoking again for the same reason changes nothing; for another reason it updates it.
      if (current.revoked && current.revokeReason === input.reason) return undefined;
      const next = revokeLicense(current, input.reason, now);
      return { license: next, event: current.revoked ? 'license.updated' : 'license.revoked', data: { reason: input.reason, license: presentLicense(next, now) } };
    });
    return { license: presentLicense(license, now) };
  },
});
