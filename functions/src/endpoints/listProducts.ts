// listProducts: live products by default; `status` takes a comma list, `includeAll` every status.
import { z } from 'zod';
import { PRODUCT_STATUSES } from '../domain/product.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { bool, creatorId, csv } from '../http/fields.js';
import { presentProduct } from '../http/present.js';
import { listProductRecords } from '../store/products.js';
import { productReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ products: z.array(productReply) }),
  get: true,
  schema: z.object({
    status: csv(PRODUCT_STATUSES).optional(),
    includeAll: bool().optional(),
    creatorId: creatorId().optional(),
  }),
  handle: async (input, { caller }) => {
    const statuses = input.includeAll ? undefined : (input.status ?? ['live']);
    const products = await listProductRecords({ creatorId: actingCreator(caller, input.creatorId), statuses });
    return { products: products.map(presentProduct) };
  },
});
