// listWebhooks: a creator's webhooks with their state (never their secrets).
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { presentWebhook } from '../http/present.js';
import { listWebhookRecords } from '../store/webhooks.js';

export default adminEndpoint({
  get: true,
  schema: z.object({ creatorId: creatorId().optional() }),
  handle: async (input, { caller }) => {
    const hooks = await listWebhookRecords(actingCreator(caller, input.creatorId));
    return { webhooks: hooks.map(presentWebhook) };
  },
});
