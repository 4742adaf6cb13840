// resolveLicense: marks violations resolved (all of them when no ids are given) and recomputes the
// licence's threat level from those that remain.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { resolveViolations } from '../store/licenseChanges.js';
import { licenseReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ license: licenseReply }),
  schema: z.object({
    licenseKey: licenseKey(),
    violationIds: z.array(z.string().trim().min(1).max(200)).min(1).max(500).optional(),
  }),
  handle: async (input, { caller, now }) => {
    const license = await resolveViolations(caller, input.licenseKey, input.violationIds, now);
    return { license: presentLicense(license, now) };
  },
});
