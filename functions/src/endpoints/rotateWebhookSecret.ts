// rotateWebhookSecret: a new payment-webhook secret under the same name, returned once, and the old
// one revoked in the same commit (deliveries signed with it fail with 401 from then on).
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { assertVisible } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { text } from '../http/fields.js';
import { webhookSecrets } from '../store/webhookSecrets.js';
import { issuedWebhookSecretReply } from '../http/replies.js';

export default adminEndpoint({
  response: issuedWebhookSecretReply.extend({ replacedId: z.string().meta({ description: 'The secret revoked in the same commit' }) }),
  example: {
    request: { id: 'whs_7Ka1' },
    response: { success: true, webhookSecret: 'whsec_c_Lp4nHc7yJd6sFa1eGu0oQQm8Tz2Vb3kq9XtR2mZ8w', id: 'whs_9Pc3', name: 'Shop backend', creatorId: 'acme-studio', replacedId: 'whs_7Ka1' },
  },
  schema: z.object({ id: text(64) }),
  handle: async (input, { caller, now }) => {
    const old = await webhookSecrets.findById(input.id);
    if (!old) throw notFound('Webhook secret');
    assertVisible(caller, old.creatorId, 'Webhook secret');
    const { secret, record } = await webhookSecrets.rotate(old, now);
    return { webhookSecret: secret, id: record.id, name: record.name, creatorId: record.creatorId, replacedId: old.id };
  },
});
