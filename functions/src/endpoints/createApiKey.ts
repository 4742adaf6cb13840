// createApiKey: a new key for a creator (creating the creator on its first key). The key is
// returned once; only its SHA-256 is stored.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, text } from '../http/fields.js';
import { issueApiKey } from '../store/apiKeys.js';
import { ensureCreator } from '../store/creators.js';

export default adminEndpoint({
  superOnly: true,
  schema: z.object({ creatorId: creatorId(), name: text(100) }),
  handle: async (input, { now }) => {
    await ensureCreator(input.creatorId, now);
    const { secret, record } = await issueApiKey({ creatorId: input.creatorId, name: input.name, now });
    return { apiKey: secret, id: record.id, name: input.name, creatorId: input.creatorId };
  },
});
