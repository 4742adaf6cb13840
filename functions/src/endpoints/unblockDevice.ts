// unblockDevice: lifts a block set by removeActivation {block: true}; the device may activate again.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { unblockDevice } from '../store/licenseChanges.js';
import { activationId } from './clientFields.js';

export default adminEndpoint({
  response: z.looseObject({ unblocked: z.literal(true) }),
  schema: z.object({ licenseKey: licenseKey(), activationId: activationId() }),
  handle: async (input, { caller, now }) => {
    await unblockDevice(caller, input.licenseKey, input.activationId, now);
    return { unblocked: true };
  },
});
