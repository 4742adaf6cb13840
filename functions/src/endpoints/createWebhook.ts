// createWebhook: an endpoint that receives the creator's events, signed (Standard Webhooks) with
// a `whsec_` secret that is returned once. The URL must be https and reach only public addresses
// (webhooks/destination.ts).
import { z } from 'zod';
import { WEBHOOKS } from '../config.js';
import { randomToken } from '../domain/crypto.js';
import { conflict } from '../domain/errors.js';
import { newWebhookSecret } from '../domain/outbound.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { presentWebhook } from '../http/present.js';
import { insertWebhook, type WebhookRecord } from '../store/webhooks.js';
import { checkedSettings, webhookSettings } from './webhookFields.js';

export default adminEndpoint({
  schema: z.object({
    url: webhookSettings.url,
    events: webhookSettings.events.optional(),
    productId: webhookSettings.productId.optional(),
    description: webhookSettings.description.optional(),
    format: webhookSettings.format.optional(),
    creatorId: creatorId().optional(),
  }),
  handle: async (input, { caller, now }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    const settings = await checkedSettings(caller, owner, input);
    const hook: WebhookRecord = {
      id: `wh_${randomToken(12)}`,
      creatorId: owner,
      url: settings.url!,
      description: input.description ?? '',
      events: settings.events ?? [],
      productId: settings.productId ?? null,
      secret: newWebhookSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      status: 'active',
      ...(input.format && input.format !== 'seatkey' ? { format: input.format } : {}),
      pausedReason: null,
      consecutiveFailures: 0,
      deliverySeq: 0,
      lastDeliveryAt: null,
      lastStatus: null,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await insertWebhook(hook))) throw conflict(`A creator has at most ${WEBHOOKS.perCreator} webhooks`);
    return { webhook: presentWebhook(hook), secret: hook.secret };
  },
});
