// createPublishableKey: a publishable key (`pk_live_…`, or `pk_test_…` with `mode: "test"`, for
// the sandbox licences test keys make) for one of the caller's products, for its shipped apps to
// send on client calls (see licensing/publishable.ts). Not a secret: it is shown whole here and in
// listPublishableKeys. A test API key makes test keys only.
import { z } from 'zod';
import { modeOf } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { slug } from '../http/fields.js';
import { presentPublishableKey } from '../http/present.js';
import { visibleProduct } from '../licensing/lookup.js';
import { createPublishableKey } from '../store/publishableKeys.js';

export default adminEndpoint({
  schema: z.object({ productId: slug(), mode: z.enum(['live', 'test']).optional() }),
  handle: async (input, { caller, now }) => {
    const product = await visibleProduct(caller, input.productId);
    const mode = modeOf(caller) === 'test' ? 'test' : (input.mode ?? 'live');
    const record = await createPublishableKey({ creatorId: product.creatorId, productId: product.productId, mode, now });
    return { publishableKey: presentPublishableKey(record) };
  },
});
