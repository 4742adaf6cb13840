// License Verification Server `GET /api/v1/pubkey` (no credential needed: the key is public): the
// Ed25519 key that verifies its licence tokens offline, as `{alg, kid, public_key}` (the raw key,
// base64url), plus every key in force as a JWKS for clients that follow rotations. Served by the
// core's publicKey, picking the key that signs now.
import core from '../../endpoints/publicKey.js';
import { clientEndpoint, dialectRoute } from '../../http/endpoint.js';
import { signingKey } from '../../tokens/keys.js';
import { lvsError } from './common.js';

const endpoint = clientEndpoint({
  ...core,
  handle: async (input, ctx) => {
    const [published, current] = await Promise.all([core.handle(input, ctx), signingKey()]);
    return { ...published, current: current.publicJwk.kid };
  },
});

export default dialectRoute({
  endpoint,
  methods: ['GET'],
  request: () => ({}),
  reply: (result) => {
    const keys = result.keys as { kid: string; x: string }[];
    const current = keys.find((k) => k.kid === result.current) ?? keys[0]!;
    return { body: { alg: 'ed25519', kid: current.kid, public_key: current.x, keys } };
  },
  error: lvsError,
});
