// regenerateLicense: a leaked key is replaced by a new one; the old key is dead at once and its
// machines must activate again with the new key (store/licenseChanges.ts). The buyer is emailed
// the new key unless `notify: false`.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { bool, licenseKey } from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { regenerateLicense } from '../store/licenseChanges.js';
import { licenseReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ licenseKey: z.string(), previousLicenseKey: z.string(), buyerNotified: z.boolean(), license: licenseReply }),
  schema: z.object({ licenseKey: licenseKey(), notify: bool().default(true) }),
  handle: async (input, { caller, now }) => {
    const license = await regenerateLicense(caller, input.licenseKey, now, input.notify);
    return { licenseKey: license.licenseKey, previousLicenseKey: input.licenseKey, buyerNotified: input.notify, license: presentLicense(license, now) };
  },
});
