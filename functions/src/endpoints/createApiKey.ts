// createApiKey: a new key for a creator. The super admin names the creator (creating it on its
// first key); a signed-in owner or member makes keys for their own creator. API keys cannot make
// keys (401), so a leaked key cannot mint itself successors. The key is returned once; only its
// SHA-256 is stored.
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, text } from '../http/fields.js';
import { issueApiKey } from '../store/apiKeys.js';
import { ensureCreator } from '../store/creators.js';

export default adminEndpoint({
  who: 'person',
  schema: z.object({ creatorId: creatorId().optional(), name: text(100) }),
  handle: async (input, { caller, now }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    await ensureCreator(owner, now);
    const { secret, record } = await issueApiKey({ creatorId: owner, name: input.name, now });
    return { apiKey: secret, id: record.id, name: input.name, creatorId: owner };
  },
});
