// listWebhookSecrets: a creator's payment-webhook secrets (never the secrets themselves).
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { presentApiKey } from '../http/present.js';
import { webhookSecrets } from '../store/webhookSecrets.js';
import { webhookSecretReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ webhookSecrets: z.array(webhookSecretReply) }),
  example: {
    request: {},
    response: {
      success: true,
      webhookSecrets: [{ id: 'whs_7Ka1', name: 'Shop backend', creatorId: 'acme-studio', prefix: 'whsec_c_Qm8T', createdAt: '2026-11-30T09:00:00.000Z', lastUsedAt: null, revoked: false, scopes: null, mode: 'live' }],
    },
  },
  get: true,
  schema: z.object({ creatorId: creatorId().optional() }),
  handle: async (input, { caller }) => {
    const records = await webhookSecrets.list(actingCreator(caller, input.creatorId));
    // The same shape as an API key's listing: id, name, creatorId, prefix, times, revoked.
    return { webhookSecrets: records.map(presentApiKey) };
  },
});
