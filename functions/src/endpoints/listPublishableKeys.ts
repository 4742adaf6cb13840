// listPublishableKeys: a product's publishable keys, revoked ones included, oldest first.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { slug } from '../http/fields.js';
import { presentPublishableKey } from '../http/present.js';
import { visibleProduct } from '../licensing/lookup.js';
import { listPublishableKeys } from '../store/publishableKeys.js';

export default adminEndpoint({
  get: true,
  schema: z.object({ productId: slug() }),
  handle: async (input, { caller }) => {
    const product = await visibleProduct(caller, input.productId);
    return { publishableKeys: (await listPublishableKeys(product.productId)).map(presentPublishableKey) };
  },
});
