// resetActivations: every machine is unbound and every seat freed; each must activate again.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { resetActivations } from '../store/licenseChanges.js';
import { count } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ deletedCount: count() }),
  schema: z.object({ licenseKey: licenseKey() }),
  handle: async (input, { caller, now }) => ({ activationsRemoved: await resetActivations(caller, input.licenseKey, now) }),
});
