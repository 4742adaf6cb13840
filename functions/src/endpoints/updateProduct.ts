// updateProduct: name, status and licence defaults. Licences already issued keep their settings.
import { z } from 'zod';
import { invalidRequest, notFound } from '../domain/errors.js';
import { adminEndpoint } from '../http/endpoint.js';
import { durationOf, ONE_DURATION, oneDuration, slug } from '../http/fields.js';
import { presentProduct } from '../http/present.js';
import { patchProduct, type Product } from '../store/products.js';
import { visibleProduct } from '../licensing/lookup.js';
import { productSettingsSchema } from './productFields.js';
import { productReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ product: productReply }),
  schema: productSettingsSchema.partial().extend({ productId: slug() }).refine(oneDuration, ONE_DURATION),
  handle: async (input, { caller, now }) => {
    const { productId, durationDays: _d, duration: _u, ...fields } = input;
    const patch: Partial<Product> = { ...fields, updatedAt: now };
    const duration = durationOf(input);
    if (duration !== undefined) patch.duration = duration;
    if (Object.keys(patch).length === 1) throw invalidRequest('Invalid request: give at least one field to update');
    await visibleProduct(caller, input.productId);
    const product = await patchProduct(productId, patch);
    if (!product) throw notFound('Product');
    return { product: presentProduct(product) };
  },
});
