// listPublishableKeys: a product's publishable keys, revoked ones included, oldest first.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { slug } from '../http/fields.js';
import { presentPublishableKey } from '../http/present.js';
import { visibleProduct } from '../licensing/lookup.js';
import { listPublishableKeys } from '../store/publishableKeys.js';
import { publishableKeyReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ publishableKeys: z.array(publishableKeyReply) }),
  example: { request: { productId: 'photo-app' }, response: { success: true, publishableKeys: [{ key: 'pk_live_4hT9mQ2xVb7KcN1w', productId: 'photo-app', mode: 'live', creatorId: 'acme-studio', createdAt: '2026-11-30T09:00:00.000Z', revoked: false, revokedAt: null }] } },
  get: true,
  schema: z.object({ productId: slug() }),
  handle: async (input, { caller }) => {
    const product = await visibleProduct(caller, input.productId);
    return { publishableKeys: (await listPublishableKeys(product.productId)).map(presentPublishableKey) };
  },
});
