// createApiKey: a new key for a creator. The super admin names the creator (creating it on its
// first key); a signed-in owner or member makes keys for their own creator. API keys cannot make
// keys (401), so a leaked key cannot mint itself successors. The key is returned once; only its
// SHA-256 is stored. `scopes` limits what the key may do (default: everything; domain/apiScopes.ts);
// `mode: "test"` makes a test key (`sk_test_`), which sees and makes only sandbox licences.
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { API_SCOPES } from '../domain/apiScopes.js';
import { creatorId, csv, text } from '../http/fields.js';
import { issueApiKey } from '../store/apiKeys.js';
import { ensureCreator } from '../store/creators.js';
import { issuedApiKeyReply } from '../http/replies.js';

export default adminEndpoint({
  response: issuedApiKeyReply,
  who: 'person',
  schema: z.object({
    creatorId: creatorId().optional(),
    name: text(100),
    scopes: csv(API_SCOPES).optional(),
    mode: z.enum(['live', 'test']).default('live'),
  }),
  handle: async (input, { caller, now }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    await ensureCreator(owner, now);
    const scopes = input.scopes && [...new Set(input.scopes)];
    const { secret, record } = await issueApiKey({ creatorId: owner, name: input.name, now, scopes, mode: input.mode });
    return { apiKey: secret, id: record.id, name: input.name, creatorId: owner, scopes: record.scopes ?? null, mode: input.mode };
  },
});
