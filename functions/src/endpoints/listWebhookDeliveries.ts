// listWebhookDeliveries: the webhook's most recent delivery attempts (at most 100), newest first.
import { z } from 'zod';
import { WEBHOOKS } from '../config.js';
import { adminEndpoint } from '../http/endpoint.js';
import { int } from '../http/fields.js';
import { presentDelivery, presentWebhook } from '../http/present.js';
import { listDeliveries } from '../store/webhooks.js';
import { visibleWebhook, webhookId } from './webhookFields.js';

export default adminEndpoint({
  get: true,
  schema: z.object({ webhookId: webhookId(), limit: int(1, WEBHOOKS.deliveriesKept).optional() }),
  handle: async (input, { caller }) => {
    const hook = await visibleWebhook(caller, input.webhookId);
    const deliveries = await listDeliveries(hook.id, input.limit ?? WEBHOOKS.deliveriesKept);
    return { webhook: presentWebhook(hook), deliveries: deliveries.map(presentDelivery) };
  },
});
