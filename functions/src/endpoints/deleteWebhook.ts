// deleteWebhook: the webhook and its delivery log; deliveries still queued are dropped.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { deleteWebhookRecord } from '../store/webhooks.js';
import { visibleWebhook, webhookId } from './webhookFields.js';
import { done } from '../http/replies.js';

export default adminEndpoint({
  response: done,
  example: { request: { webhookId: 'wh_4hT9mQ2xVb7K' }, response: { success: true } },
  schema: z.object({ webhookId: webhookId() }),
  handle: async (input, { caller }) => {
    await visibleWebhook(caller, input.webhookId);
    await deleteWebhookRecord(input.webhookId);
    return {};
  },
});
