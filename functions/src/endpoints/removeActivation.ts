// removeActivation: unbinds one machine (a lost or replaced computer) and frees its seat.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { removeActivation } from '../store/licenseChanges.js';

export default adminEndpoint({
  schema: z.object({ licenseKey: licenseKey(), activationId: z.string().trim().min(1).max(200) }),
  handle: async (input, { caller, now }) => {
    const license = await removeActivation(caller, input.licenseKey, input.activationId, now);
    return { machinesUsed: license.machinesUsed };
  },
});
