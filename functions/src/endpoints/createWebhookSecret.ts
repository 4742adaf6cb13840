// createWebhookSecret: a payment-webhook secret for one creator's own products (the platform's
// WEBHOOK_SECRET reaches every product). Returned once; only its SHA-256 is stored.
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, text } from '../http/fields.js';
import { issueWebhookSecret } from '../store/webhookSecrets.js';

export default adminEndpoint({
  schema: z.object({ name: text(100).default('payment webhook'), creatorId: creatorId().optional() }),
  handle: async (input, { caller, now }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    const { secret, record } = await issueWebhookSecret({ creatorId: owner, name: input.name, now });
    return { webhookSecret: secret, id: record.id, name: record.name, creatorId: owner };
  },
});
