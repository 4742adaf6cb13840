// createApiKey: a new key for a creator (creating the creator on its first key). The key is
// returned once; only its SHA-256 is stored.
import { z } from 'zod';
import { randomToken, sha256Hex } from '../domain/crypto.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, text } from '../http/fields.js';
import { insertApiKey } from '../store/apiKeys.js';
import { ensureCreator } from '../store/creators.js';

export default adminEndpoint({
  superOnly: true,
  schema: z.object({ creatorId: creatorId(), name: text(100) }),
  handle: async (input, { now }) => {
    // 32 bytes: 256 bits of CSPRNG output.
    const apiKey = `sk_live_${randomToken(32)}`;
    const id = `key_${randomToken(12)}`;
    await ensureCreator(input.creatorId, now);
    await insertApiKey({
      id,
      creatorId: input.creatorId,
      name: input.name,
      prefix: apiKey.slice(0, 12),
      hash: sha256Hex(apiKey),
      createdAt: now,
      lastUsedAt: null,
      revoked: false,
      revokedAt: null,
    });
    return { apiKey, id, name: input.name, creatorId: input.creatorId };
  },
});
