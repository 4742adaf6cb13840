// revokeSigningKey (adminSecret only): a compromised session-token signing key is refused from the
// next request on and leaves `publicKey` at once; its tokens stop validating, so their apps must
// activate again (which signs with the current key). The key this deployment signs with cannot be
// revoked: set a new SIGNING_KEY and deploy first (docs/operations.md, Signing keys).
import { z } from 'zod';
import { conflict, notFound } from '../domain/errors.js';
import { adminEndpoint } from '../http/endpoint.js';
import { iso } from '../http/present.js';
import { revokeSigningKeyRecord } from '../store/signingKeys.js';
import { KID_PATTERN, signingKey } from '../tokens/keys.js';
import { time } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ kid: z.string(), revokedAt: time().meta({ description: 'When it was first revoked (revoking again changes nothing)' }) }),
  example: { request: { kid: 'k2026-06' }, response: { success: true, kid: 'k2026-06', revokedAt: '2026-11-30T09:00:00.000Z' } },
  superOnly: true,
  schema: z.object({ kid: z.string().regex(KID_PATTERN, 'must be a key id of letters, digits, - or _') }),
  handle: async (input, { now }) => {
    const current = await signingKey();
    if (input.kid === current.kid) throw conflict(`Key ${input.kid} is the one this deployment signs with: set a new SIGNING_KEY and deploy, then revoke it`);
    const record = await revokeSigningKeyRecord(input.kid, now);
    if (!record) throw notFound('Signing key');
    return { kid: record.kid, revokedAt: iso(record.revokedAt) };
  },
});
