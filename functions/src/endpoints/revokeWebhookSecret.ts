// revokeWebhookSecret: the secret fails with 401 from the next delivery on.
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { assertVisible } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { text } from '../http/fields.js';
import { webhookSecrets } from '../store/webhookSecrets.js';
import { done } from '../http/replies.js';

export default adminEndpoint({
  response: done,
  example: { request: { id: 'whs_7Ka1' }, response: { success: true } },
  schema: z.object({ id: text(64) }),
  handle: async (input, { caller, now }) => {
    const record = await webhookSecrets.findById(input.id);
    if (!record) throw notFound('Webhook secret');
    assertVisible(caller, record.creatorId, 'Webhook secret');
    if (!record.revoked) await webhookSecrets.markRevoked(record, now);
    return {};
  },
});
