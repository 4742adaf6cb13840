// rotateWebhookSigningSecret: a new signing secret for a creator's outbound webhook, returned once. The
// old one keeps signing beside it (a second v1 signature in webhook-signature) for
// `overlapHours`, so the receiver can switch secrets without a failed delivery.
import { z } from 'zod';
import { WEBHOOKS } from '../config.js';
import { notFound } from '../domain/errors.js';
import { isWebhookSecret, newWebhookSecret, rotation } from '../domain/outbound.js';
import { adminEndpoint } from '../http/endpoint.js';
import { int } from '../http/fields.js';
import { presentWebhook } from '../http/present.js';
import { patchWebhook } from '../store/webhooks.js';
import { visibleWebhook, webhookId } from './webhookFields.js';
import { webhookReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ webhook: webhookReply, secret: z.string().meta({ description: 'The signing secret: shown once, in this reply only' }) }),
  example: {
    request: { webhookId: 'wh_4hT9mQ2xVb7K', overlapHours: 24 },
    response: { success: true, webhook: { id: 'wh_4hT9mQ2xVb7K', url: 'https://hooks.acme.example/seatkey', description: 'Licence sync', events: ['license.created', 'license.revoked'], productId: null, status: 'active', format: 'seatkey', pausedReason: null, consecutiveFailures: 0, lastDeliveryAt: null, lastStatus: null, secretPrefix: 'whsec_Qm8T', previousSecretExpiresAt: null, creatorId: 'acme-studio', createdAt: '2026-11-30T09:00:00.000Z', updatedAt: '2026-11-30T09:00:00.000Z' }, secret: 'whsec_Lp4nHc7yJd6sQm8Tz2Vb3kq9XtR2mZ8w' },
  },
  schema: z.object({
    webhookId: webhookId(),
    /** How long the old secret still signs (0: it stops at once). */
    overlapHours: int(0, WEBHOOKS.maxRotationOverlapHours).optional(),
    /** The new secret, if the creator brings one (moving from another sender, say); else one is made. */
    secret: z.string().trim().max(200).refine(isWebhookSecret, 'must be whsec_ followed by the base64 of 24 to 64 random bytes').optional(),
  }),
  handle: async (input, { caller, now }) => {
    await visibleWebhook(caller, input.webhookId);
    const secret = input.secret ?? newWebhookSecret();
    const overlapSeconds = (input.overlapHours ?? WEBHOOKS.rotationOverlapHours) * 3600;
    const updated = await patchWebhook(input.webhookId, (current) => ({ ...rotation(current, secret, now, overlapSeconds), updatedAt: now }));
    if (!updated) throw notFound('Webhook');
    return { webhook: presentWebhook(updated), secret };
  },
});
