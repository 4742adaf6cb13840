// updateWebhook: URL, events, product, description, or `status` to pause or resume it.
// Resuming clears the failure counter.
import { z } from 'zod';
import { invalidRequest, notFound } from '../domain/errors.js';
import { adminEndpoint } from '../http/endpoint.js';
import { presentWebhook } from '../http/present.js';
import { patchWebhook, type WebhookRecord } from '../store/webhooks.js';
import { checkedSettings, visibleWebhook, webhookId, webhookSettings } from './webhookFields.js';
import { webhookReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ webhook: webhookReply }),
  example: { request: { webhookId: 'wh_4hT9mQ2xVb7K', description: 'Licence sync' }, response: { success: true, webhook: { id: 'wh_4hT9mQ2xVb7K', url: 'https://hooks.acme.example/seatkey', description: 'Licence sync', events: ['license.created', 'license.revoked'], productId: null, status: 'active', format: 'seatkey', pausedReason: null, consecutiveFailures: 0, lastDeliveryAt: null, lastStatus: null, secretPrefix: 'whsec_Qm8T', previousSecretExpiresAt: null, creatorId: 'acme-studio', createdAt: '2026-11-30T09:00:00.000Z', updatedAt: '2026-11-30T09:00:00.000Z' } } },
  schema: z.object({
    webhookId: webhookId(),
    url: webhookSettings.url.optional(),
    events: webhookSettings.events.optional(),
    productId: webhookSettings.productId.optional(),
    description: webhookSettings.description.optional(),
    format: webhookSettings.format.optional(),
    status: z.enum(['active', 'paused']).optional(),
  }),
  handle: async (input, { caller, now }) => {
    const { webhookId: id, status, description, format, ...rest } = input;
    if (status === undefined && description === undefined && format === undefined && Object.values(rest).every((v) => v === undefined)) {
      throw invalidRequest('Invalid request: give at least one field to update');
    }
    const hook = await visibleWebhook(caller, id);
    const settings = await checkedSettings(caller, hook.creatorId, rest);
    const updated = await patchWebhook(id, (current) => {
      const patch: Partial<WebhookRecord> = { ...settings, updatedAt: now };
      if (description !== undefined) patch.description = description;
      if (format !== undefined) patch.format = format;
      if (status === 'active' && current.status !== 'active') Object.assign(patch, { status, pausedReason: null, consecutiveFailures: 0 });
      if (status === 'paused' && current.status !== 'paused') Object.assign(patch, { status, pausedReason: 'manual' });
      return patch;
    });
    if (!updated) throw notFound('Webhook');
    return { webhook: presentWebhook(updated) };
  },
});
