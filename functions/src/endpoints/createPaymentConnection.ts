// createPaymentConnection: connects a creator's account at a payment provider. The reply carries
// the URL to paste into the provider's dashboard; the signing secret is stored apart and never
// returned. Gumroad signs nothing: its URL carries a 256-bit token made here, shown only now.
import { z } from 'zod';
import { randomToken } from '../domain/crypto.js';
import { PROVIDERS } from '../domain/paymentConnection.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { insertConnection, newConnectionId } from '../store/paymentConnections.js';
import { assertProviderFields, checkedProducts, connectionFields, functionsBase, presentConnection, webhookUrl } from './connectionFields.js';
import { connectionReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({
    connection: connectionReply,
    webhookUrl: z.string().meta({ description: "The URL to paste into the provider's dashboard; Gumroad's carries its token, shown only when it is made" }),
  }),
  example: {
    request: { provider: 'stripe', signingSecret: 'whsec_from_the_stripe_dashboard', products: [{ match: 'price_1QxYz', productId: 'photo-app' }] },
    response: { success: true, connection: { id: 'pc_5Jx2Qm8Tz', creatorId: 'acme-studio', provider: 'stripe', name: 'Stripe', products: [{ match: 'price_1QxYz', productId: 'photo-app' }], sellerId: null, webhookUrl: 'https://us-central1-your-project.cloudfunctions.net/stripeWebhook/pc_5Jx2Qm8Tz', createdAt: '2026-11-30T09:00:00.000Z', updatedAt: '2026-11-30T09:00:00.000Z' }, webhookUrl: 'https://us-central1-your-project.cloudfunctions.net/stripeWebhook/pc_5Jx2Qm8Tz' },
  },
  schema: z.object({
    provider: z.enum(PROVIDERS),
    name: connectionFields.name.optional(),
    signingSecret: connectionFields.signingSecret.optional(),
    products: connectionFields.products.default([]),
    sellerId: connectionFields.sellerId.optional(),
    creatorId: creatorId().optional(),
  }),
  handle: async (input, { caller, now, header }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    assertProviderFields(input.provider, input.sellerId, input.signingSecret, true);
    const products = await checkedProducts(caller, owner, input.products);
    const token = input.provider === 'gumroad' ? randomToken(32) : undefined;
    const connection = {
      id: newConnectionId(),
      creatorId: owner,
      provider: input.provider,
      name: input.name ?? input.provider,
      products,
      sellerId: input.sellerId ?? null,
      createdAt: now,
      updatedAt: now,
    };
    await insertConnection(connection, token ?? input.signingSecret!);
    const base = functionsBase(header('host'));
    return { connection: presentConnection(connection, base), webhookUrl: webhookUrl(connection, base, token) };
  },
});
