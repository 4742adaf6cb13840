// createVariant: a priced edition of a product with its own licence settings. Its id is
// `variantId` if given, else the slug of its name; 409 if the product already has it.
import { z } from 'zod';
import { conflict, invalidRequest } from '../domain/errors.js';
import { slugify } from '../domain/product.js';
import { adminEndpoint } from '../http/endpoint.js';
import { durationOf, ONE_DURATION, oneDuration, slug } from '../http/fields.js';
import { presentVariant } from '../http/present.js';
import { insertVariant, type Variant } from '../store/products.js';
import { visibleProduct } from '../licensing/lookup.js';
import { variantSettingsSchema } from './variantFields.js';
import { variantReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ variantId: z.string(), variant: variantReply }),
  schema: variantSettingsSchema
    .partial()
    .extend({ productId: slug(), name: variantSettingsSchema.shape.name, variantId: slug().optional() })
    .refine(oneDuration, ONE_DURATION),
  handle: async (input, { caller, now }) => {
    const product = await visibleProduct(caller, input.productId);
    const variantId = input.variantId ?? slugify(input.name);
    if (variantId === '') throw invalidRequest('Invalid request: name must contain a letter or digit, or give variantId');
    const variant: Variant = {
      variantId,
      productId: product.productId,
      creatorId: product.creatorId,
      name: input.name,
      licenseType: input.licenseType ?? null,
      maxMachines: input.maxMachines ?? null,
      maxConcurrent: input.maxConcurrent ?? null,
      duration: durationOf(input) ?? null,
      active: input.active ?? true,
      graceDays: input.graceDays ?? null,
      licensesEnabled: input.licensesEnabled ?? true,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await insertVariant(variant))) throw conflict(`Variant "${variantId}" already exists for ${product.productId}`);
    return { variantId, variant: presentVariant(variant) };
  },
});
