// The server's public keys, for bundling in an app: `seatkey keys` (or an app's build script)
// fetches the JWKS once, and the app ships it as the client's `publicKeys`, so a token can be
// checked offline against keys nobody on the user's machine can swap.
import { BadResponseError } from './errors.js';
import { Transport, type FetchLike } from './http.js';
import { publicJwks, type PublicJwk } from './token.js';

/**
 * The `publicKey` endpoint's JWKS, cut down to its Ed25519 signing keys' public members.
 * Rejects with a `SeatkeyError` (`NetworkError`, …), or `BadResponseError` when it lists none.
 */
export async function fetchPublicKeys(baseUrl: string, options: { fetch?: FetchLike; timeoutMs?: number } = {}): Promise<{ keys: PublicJwk[] }> {
  const transport = new Transport({ baseUrl, fetch: options.fetch ?? ((input, init) => fetch(input, init)), timeoutMs: options.timeoutMs ?? 15_000 });
  const keys = publicJwks(await transport.get<{ keys: unknown }>('publicKey'));
  if (keys.length === 0) throw new BadResponseError('bad_response', 'The server publishes no Ed25519 signing keys');
  return { keys };
}
