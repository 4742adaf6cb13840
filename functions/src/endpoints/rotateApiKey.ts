// rotateApiKey: a new key under the same name, returned once, and the old key revoked in the same
// commit (it fails with 401 from the next request on). People only, like createApiKey.
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { assertVisible } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { text } from '../http/fields.js';
import { findApiKeyById, rotateApiKeyRecord } from '../store/apiKeys.js';
import { issuedApiKeyReply } from '../http/replies.js';

export default adminEndpoint({
  response: issuedApiKeyReply.extend({ replacedId: z.string().meta({ description: 'The key revoked in the same commit' }) }),
  example: {
    request: { id: 'key_3f9a1c' },
    response: { success: true, apiKey: 'sk_live_Vb3kq9XtR2mZ8wLp4nHc7yJd6sFa1eGu0oQi5rTz', id: 'key_8d2e4b', name: 'Build server', creatorId: 'acme-studio', scopes: null, mode: 'live', replacedId: 'key_3f9a1c' },
  },
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
