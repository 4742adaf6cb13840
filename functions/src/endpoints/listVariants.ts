// listVariants: every variant of a product, oldest first.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { slug } from '../http/fields.js';
import { presentVariant } from '../http/present.js';
import { listVariantRecords } from '../store/products.js';
import { visibleProduct } from '../licensing/lookup.js';
import { variantReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ variants: z.array(variantReply) }),
  get: true,
  schema: z.object({ productId: slug() }),
  handle: async (input, { caller }) => {
    await visibleProduct(caller, input.productId);
    return { variants: (await listVariantRecords(input.productId)).map(presentVariant) };
  },
});
