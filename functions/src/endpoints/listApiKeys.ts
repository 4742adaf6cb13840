// listApiKeys: a creator's keys (the super admin: all, or one creator's). Never the keys themselves.
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { presentApiKey } from '../http/present.js';
import { listApiKeyRecords } from '../store/apiKeys.js';
import { apiKeyReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ apiKeys: z.array(apiKeyReply) }),
  get: true,
  schema: z.object({ creatorId: creatorId().optional() }),
  handle: async (input, { caller }) => {
    const keys = await listApiKeyRecords(actingCreator(caller, input.creatorId));
    return { apiKeys: keys.map(presentApiKey) };
  },
});
