// revokeApiKey: the key fails with 401 from the next request on.
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { assertVisible } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { text } from '../http/fields.js';
import { findApiKeyById, markApiKeyRevoked } from '../store/apiKeys.js';
import { done } from '../http/replies.js';

export default adminEndpoint({
  response: done,
  example: { request: { id: 'key_3f9a1c' }, response: { success: true } },
  schema: z.object({ id: text(64) }),
  handle: async (input, { caller, now }) => {
    const key = await findApiKeyById(input.id);
    if (!key) throw notFound('API key');
    assertVisible(caller, key.creatorId, 'API key');
    if (!key.revoked) await markApiKeyRevoked(key, now);
    return {};
  },
});
