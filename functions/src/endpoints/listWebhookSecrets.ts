// listWebhookSecrets: a creator's payment-webhook secrets (never the secrets themselves).
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { presentApiKey } from '../http/present.js';
import { webhookSecrets } from '../store/webhookSecrets.js';

export default adminEndpoint({
  get: true,
  schema: z.object({ creatorId: creatorId().optional() }),
  handle: async (input, { caller }) => {
    const records = await webhookSecrets.list(actingCreator(caller, input.creatorId));
    // The same shape as an API key's listing: id, name, creatorId, prefix, times, revoked.
    return { webhookSecrets: records.map(presentApiKey) };
  },
});
