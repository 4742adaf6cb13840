// health: the floor every benchmark compares against. No Firestore, no auth.
import { createRequire } from 'node:module';
import { z } from 'zod';
import { openEndpoint } from '../http/endpoint.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

export default openEndpoint({
  get: true,
  shape: 'raw',
  schema: z.object({}),
  response: z.looseObject({ ok: z.literal(true), version: z.string() }),
  example: { request: {}, response: { ok: true, version: '0.1.0' } },
  handle: async () => ({ ok: true, version }),
});
