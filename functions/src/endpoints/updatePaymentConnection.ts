// updatePaymentConnection: renames a connection, replaces its product mapping (every product the
// caller's own, else 404), its signing secret (write-only) or Gumroad's seller id. Gumroad's URL
// token is replaced with `rotateToken: true`, and the new URL is in the reply.
import { z } from 'zod';
import { randomToken } from '../domain/crypto.js';
import { notFound } from '../domain/errors.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { bool, creatorId } from '../http/fields.js';
import { patchConnection } from '../store/paymentConnections.js';
import { assertProviderFields, checkedProducts, connectionFields, connectionId, functionsBase, presentConnection, visibleConnection, webhookUrl } from './connectionFields.js';
import { connectionReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({
    connection: connectionReply,
    webhookUrl: z.string().meta({ description: "The URL to paste into the provider's dashboard; Gumroad's carries its token, shown only when it is made" }),
  }),
  example: {
    request: { id: 'pc_5Jx2Qm8Tz', name: 'Stripe' },
    response: { success: true, connection: { id: 'pc_5Jx2Qm8Tz', creatorId: 'acme-studio', provider: 'stripe', name: 'Stripe', products: [{ match: 'price_1QxYz', productId: 'photo-app' }], sellerId: null, webhookUrl: 'https://us-central1-your-project.cloudfunctions.net/stripeWebhook/pc_5Jx2Qm8Tz', createdAt: '2026-11-30T09:00:00.000Z', updatedAt: '2026-11-30T09:00:00.000Z' }, webhookUrl: 'https://us-central1-your-project.cloudfunctions.net/stripeWebhook/pc_5Jx2Qm8Tz' },
  },
  schema: z.object({
    id: connectionId(),
    name: connectionFields.name.optional(),
    signingSecret: connectionFields.signingSecret.optional(),
    products: connectionFields.products.optional(),
    sellerId: connectionFields.sellerId.optional(),
    rotateToken: bool().optional(),
    creatorId: creatorId().optional(),
  }),
  handle: async (input, { caller, now, header }) => {
    const current = await visibleConnection(caller, input.id, actingCreator(caller, input.creatorId));
    assertProviderFields(current.provider, input.sellerId ?? current.sellerId, input.signingSecret, false);
    const products = input.products && (await checkedProducts(caller, current.creatorId, input.products));
    const token = current.provider === 'gumroad' && input.rotateToken ? randomToken(32) : undefined;
    const change = { updatedAt: now, ...(input.name !== undefined ? { name: input.name } : {}), ...(products ? { products } : {}), ...(input.sellerId !== undefined ? { sellerId: input.sellerId } : {}) };
    const next = await patchConnection(current.id, (c) => c.creatorId === current.creatorId, change, token ?? input.signingSecret);
    if (!next) throw notFound('Connection');
    const base = functionsBase(header('host'));
    return { connection: presentConnection(next, base), webhookUrl: webhookUrl(next, base, token) };
  },
});
