// deactivateLicense: the plan guide's "Deactivate license". Permanent and irreversible, unlike
// revokeLicense: the key stops working everywhere at once (403 deactivated on every client call)
// and nothing brings it back — reinstateLicense, regenerateLicense, updateLicense and
// revokeLicense answer 409 from then on. For refunds and policy violations.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { deactivatePermanently } from '../store/licenseChanges.js';
import { licenseReply } from '../http/replies.js';

export const PERMANENT_NOTICE = 'This licence is permanently deactivated. This cannot be undone: the key will never work again.';

export default adminEndpoint({
  response: z.looseObject({ license: licenseReply, permanent: z.literal(true), message: z.string() }),
  schema: z.object({ licenseKey: licenseKey() }),
  handle: async (input, { caller, now }) => {
    const license = await deactivatePermanently(caller, input.licenseKey, now, (after) => ({ license: presentLicense(after, now) }));
    return { license: presentLicense(license, now), permanent: true, message: PERMANENT_NOTICE };
  },
});
