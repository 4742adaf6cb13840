// updateVariant: change a variant's name, settings or `active` flag.
import { z } from 'zod';
import { invalidRequest, notFound } from '../domain/errors.js';
import { adminEndpoint } from '../http/endpoint.js';
import { durationOf, ONE_DURATION, oneDuration, slug } from '../http/fields.js';
import { presentVariant } from '../http/present.js';
import { patchVariant, type Variant } from '../store/products.js';
import { visibleVariant } from '../licensing/lookup.js';
import { variantSettingsSchema } from './variantFields.js';
import { variantReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ variant: variantReply }),
  schema: variantSettingsSchema.partial().extend({ productId: slug(), variantId: slug() }).refine(oneDuration, ONE_DURATION),
  handle: async (input, { caller, now }) => {
    const { productId, variantId, durationDays: _d, duration: _u, ...fields } = input;
    const patch: Partial<Variant> = { ...fields, updatedAt: now };
    const duration = durationOf(input);
    if (duration !== undefined) patch.duration = duration;
    if (Object.keys(patch).length === 1) throw invalidRequest('Invalid request: give at least one field to update');
    await visibleVariant(caller, input.productId, input.variantId);
    const variant = await patchVariant(productId, variantId, patch);
    if (!variant) throw notFound('Variant');
    return { variant: presentVariant(variant) };
  },
});
