// listWebhookDeliveries: the webhook's most recent delivery attempts (at most 100), newest first.
import { z } from 'zod';
import { WEBHOOKS } from '../config.js';
import { adminEndpoint } from '../http/endpoint.js';
import { int } from '../http/fields.js';
import { presentDelivery, presentWebhook } from '../http/present.js';
import { listDeliveries } from '../store/webhooks.js';
import { visibleWebhook, webhookId } from './webhookFields.js';
import { deliveryReply, webhookReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ webhook: webhookReply, deliveries: z.array(deliveryReply).meta({ description: 'Newest first' }) }),
  example: {
    request: { webhookId: 'wh_4hT9mQ2xVb7K', limit: 1 },
    response: {
      success: true,
      webhook: { id: 'wh_4hT9mQ2xVb7K', url: 'https://hooks.acme.example/seatkey', description: 'Licence sync', events: ['license.created', 'license.revoked'], productId: null, status: 'active', format: 'seatkey', pausedReason: null, consecutiveFailures: 0, lastDeliveryAt: null, lastStatus: null, secretPrefix: 'whsec_Qm8T', previousSecretExpiresAt: null, creatorId: 'acme-studio', createdAt: '2026-11-30T09:00:00.000Z', updatedAt: '2026-11-30T09:00:00.000Z' },
      deliveries: [{ eventId: 'evt_2nV8kQ', event: 'license.created', attempt: 1, status: 200, ok: true, error: null, durationMs: 84, at: '2026-11-30T09:00:00.000Z' }],
    },
  },
  get: true,
  schema: z.object({ webhookId: webhookId(), limit: int(1, WEBHOOKS.deliveriesKept).optional() }),
  handle: async (input, { caller }) => {
    const hook = await visibleWebhook(caller, input.webhookId);
    const deliveries = await listDeliveries(hook.id, input.limit ?? WEBHOOKS.deliveriesKept);
    return { webhook: presentWebhook(hook), deliveries: deliveries.map(presentDelivery) };
  },
});
