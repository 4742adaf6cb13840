// rotateApiKey: a new key under the same name, returned once, and the old key revoked in the same
// commit (it fails with 401 from the next request on). People only, like createApiKey.
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { assertVisible } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { text } from '../http/fields.js';
import { findApiKeyById, rotateApiKeyRecord } from '../store/apiKeys.js';

export default adminEndpoint({
  who: 'person',
  schema: z.object({ id: text(64) }),
  handle: async (input, { caller, now }) => {
    const old = await findApiKeyById(input.id);
    if (!old) throw notFound('API key');
    assertVisible(caller, old.creatorId, 'API key');
    const { secret, record } = await rotateApiKeyRecord(old, now);
    return { apiKey: secret, id: record.id, name: record.name, creatorId: record.creatorId, scopes: record.scopes ?? null, mode: record.mode ?? 'live', replacedId: old.id };
  },
});
