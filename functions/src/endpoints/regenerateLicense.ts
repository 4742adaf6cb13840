// regenerateLicense: a leaked key is replaced by a new one; the old key is dead at once and its
// machines must activate again with the new key (store/licenseChanges.ts).
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { regenerateLicense } from '../store/licenseChanges.js';

export default adminEndpoint({
  schema: z.object({ licenseKey: licenseKey() }),
  handle: async (input, { caller, now }) => {
    const license = await regenerateLicense(caller, input.licenseKey, now);
    return { licenseKey: license.licenseKey, previousLicenseKey: input.licenseKey, license: presentLicense(license, now) };
  },
});
