// health: the floor every benchmark compares against. No Firestore, no auth.
import { createRequire } from 'node:module';
import { z } from 'zod';
import { openEndpoint } from '../http/endpoint.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

export default openEndpoint({
  get: true,
  shape: 'raw',
  schema: z.object({}),
  handle: async () => ({ ok: true, version }),
});
