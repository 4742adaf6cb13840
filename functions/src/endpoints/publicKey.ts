// publicKey: the JWKS that verifies session tokens offline, current and retired keys.
import { z } from 'zod';
import { clientEndpoint } from '../http/endpoint.js';
import { publishedKeys } from '../tokens/jwks.js';
import { jwksReply } from '../http/replies.js';

/** Clients and caches may keep the JWKS this long; an app that meets an unknown kid fetches it again. */
const MAX_AGE_SECONDS = 300;

export default clientEndpoint({
  response: jwksReply,
  get: true,
  shape: 'raw',
  schema: z.object({}),
  handle: async (_input, { now, setHeader }) => {
    const keys = await publishedKeys(now);
    setHeader('Cache-Control', `public, max-age=${MAX_AGE_SECONDS}`);
    return { keys };
  },
});
