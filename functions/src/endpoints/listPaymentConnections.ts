// listPaymentConnections: a creator's payment connections with their webhook URLs (never a
// secret; Gumroad's URL without its token, which was shown once).
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { listConnectionRecords } from '../store/paymentConnections.js';
import { functionsBase, presentConnection } from './connectionFields.js';
import { connectionReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ connections: z.array(connectionReply) }),
  example: { request: {}, response: { success: true, connections: [{ id: 'pc_5Jx2Qm8Tz', creatorId: 'acme-studio', provider: 'stripe', name: 'Stripe', products: [{ match: 'price_1QxYz', productId: 'photo-app' }], sellerId: null, webhookUrl: 'https://us-central1-your-project.cloudfunctions.net/stripeWebhook/pc_5Jx2Qm8Tz', createdAt: '2026-11-30T09:00:00.000Z', updatedAt: '2026-11-30T09:00:00.000Z' }] } },
  get: true,
  schema: z.object({ creatorId: creatorId().optional() }),
  handle: async (input, { caller, header }) => {
    const records = await listConnectionRecords(actingCreator(caller, input.creatorId));
    const base = functionsBase(header('host'));
    return { connections: records.map((c) => presentConnection(c, base)) };
  },
});
