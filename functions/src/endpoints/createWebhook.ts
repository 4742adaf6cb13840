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
import { webhookReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ webhook: webhookReply, secret: z.string().meta({ description: 'The signing secret: shown once, in this reply only' }) }),
  example: {
    request: { url: 'https://hooks.acme.example/seatkey', events: ['license.created', 'license.revoked'], description: 'Licence sync' },
    response: { success: true, webhook: { id: 'wh_4hT9mQ2xVb7K', url: 'https://hooks.acme.example/seatkey', description: 'Licence sync', events: ['license.created', 'license.revoked'], productId: null, status: 'active', format: 'seatkey', pausedReason: null, consecutiveFailures: 0, lastDeliveryAt: null, lastStatus: null, secretPrefix: 'whsec_Qm8T', previousSecretExpiresAt: null, creatorId: 'acme-studio', createdAt: '2026-11-30T09:00:00.000Z', updatedAt: '2026-11-30T09:00:00.000Z' }, secret: 'whsec_Qm8Tz2Vb3kq9XtR2mZ8wLp4nHc7yJd6s' },
  },
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
