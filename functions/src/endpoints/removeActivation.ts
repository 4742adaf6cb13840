// removeActivation: unbinds one machine (a lost or replaced computer) and frees its seat; with
// `block: true` the device is also blocked on this licence (403 device_blocked on activate,
// validate and heartbeat) until unblockDevice.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { removeActivation } from '../store/licenseChanges.js';
import { activationId } from './clientFields.js';
import { count } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ machinesUsed: count(), blocked: z.literal(true).optional() }),
  schema: z.object({ licenseKey: licenseKey(), activationId: activationId(), block: z.boolean().optional() }),
  handle: async (input, { caller, now }) => {
    const license = await removeActivation(caller, input.licenseKey, input.activationId, now, input.block === true);
    return { machinesUsed: license.machinesUsed, ...(input.block ? { blocked: true } : {}) };
  },
});
