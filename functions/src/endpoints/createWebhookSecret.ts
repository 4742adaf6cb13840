// createWebhookSecret: a payment-webhook secret for one creator's own products (the platform's
// WEBHOOK_SECRET reaches every product). Returned once; only its SHA-256 is stored.
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, text } from '../http/fields.js';
import { issueWebhookSecret } from '../store/webhookSecrets.js';
import { issuedWebhookSecretReply } from '../http/replies.js';

export default adminEndpoint({
  response: issuedWebhookSecretReply,
  example: {
    request: { name: 'Shop backend' },
    response: { success: true, webhookSecret: 'whsec_c_Qm8Tz2Vb3kq9XtR2mZ8wLp4nHc7yJd6sFa1eGu0oQ', id: 'whs_7Ka1', name: 'Shop backend', creatorId: 'acme-studio' },
  },
  schema: z.object({ name: text(100).default('payment webhook'), creatorId: creatorId().optional() }),
  handle: async (input, { caller, now }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    const { secret, record } = await issueWebhookSecret({ creatorId: owner, name: input.name, now });
    return { webhookSecret: secret, id: record.id, name: record.name, creatorId: owner };
  },
});
