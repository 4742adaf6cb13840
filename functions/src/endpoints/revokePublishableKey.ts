// revokePublishableKey: apps sending the key are refused (401) from the next request on.
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { assertVisible } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { presentPublishableKey } from '../http/present.js';
import { findPublishableKey, markPublishableKeyRevoked } from '../store/publishableKeys.js';
import { publishableKeyReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ publishableKey: publishableKeyReply }),
  example: { request: { key: 'pk_live_4hT9mQ2xVb7KcN1w' }, response: { success: true, publishableKey: { key: 'pk_live_4hT9mQ2xVb7KcN1w', productId: 'photo-app', mode: 'live', creatorId: 'acme-studio', createdAt: '2026-11-30T09:00:00.000Z', revoked: true, revokedAt: '2026-11-30T10:00:00.000Z' } } },
  schema: z.object({ key: z.string().trim().min(1).max(100) }),
  handle: async (input, { caller, now }) => {
    const record = await findPublishableKey(input.key);
    if (!record) throw notFound('Publishable key');
    assertVisible(caller, record.creatorId, 'Publishable key');
    if (!record.revoked) await markPublishableKeyRevoked(record.key, now);
    return { publishableKey: presentPublishableKey({ ...record, revoked: true, revokedAt: record.revokedAt ?? now }) };
  },
});
