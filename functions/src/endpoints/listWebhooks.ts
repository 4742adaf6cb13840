// listWebhooks: a creator's webhooks with their state (never their secrets).
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { presentWebhook } from '../http/present.js';
import { listWebhookRecords } from '../store/webhooks.js';
import { webhookReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ webhooks: z.array(webhookReply) }),
  example: { request: {}, response: { success: true, webhooks: [{ id: 'wh_4hT9mQ2xVb7K', url: 'https://hooks.acme.example/seatkey', description: 'Licence sync', events: ['license.created', 'license.revoked'], productId: null, status: 'active', format: 'seatkey', pausedReason: null, consecutiveFailures: 0, lastDeliveryAt: null, lastStatus: null, secretPrefix: 'whsec_Qm8T', previousSecretExpiresAt: null, creatorId: 'acme-studio', createdAt: '2026-11-30T09:00:00.000Z', updatedAt: '2026-11-30T09:00:00.000Z' }] } },
  get: true,
  schema: z.object({ creatorId: creatorId().optional() }),
  handle: async (input, { caller }) => {
    const hooks = await listWebhookRecords(actingCreator(caller, input.creatorId));
    return { webhooks: hooks.map(presentWebhook) };
  },
});
