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
import { publishableKeyReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ publishableKey: publishableKeyReply }),
  example: { request: { productId: 'photo-app' }, response: { success: true, publishableKey: { key: 'pk_live_4hT9mQ2xVb7KcN1w', productId: 'photo-app', mode: 'live', creatorId: 'acme-studio', createdAt: '2026-11-30T09:00:00.000Z', revoked: false, revokedAt: null } } },
  schema: z.object({ productId: slug(), mode: z.enum(['live', 'test']).optional() }),
  handle: async (input, { caller, now }) => {
    const product = await visibleProduct(caller, input.productId);
    const mode = modeOf(caller) === 'test' ? 'test' : (input.mode ?? 'live');
    const record = await createPublishableKey({ creatorId: product.creatorId, productId: product.productId, mode, now });
    return { publishableKey: presentPublishableKey(record) };
  },
});
