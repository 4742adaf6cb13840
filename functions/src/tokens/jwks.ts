// The JWKS `publicKey` serves: the current key and every retired key whose tokens may still be
// valid. Rotation: set a new SIGNING_KEY with a new kid. Instances register it on first use; from
// then on the older key is retired, and stays published for the longest token lifetime plus a
// day (for instances still on the old secret while the new one rolls out).
import { TOKEN_TTL_DAYS_MAX } from '../domain/product.js';
import { listSigningKeys, type PublicJwk, type SigningKeyRecord } from '../store/signingKeys.js';
import { signingKey } from './keys.js';

export const RETIRED_KEY_PUBLISHED_MS = (TOKEN_TTL_DAYS_MAX + 1) * 86_400_000;

/** The keys to publish from the registry (oldest first) and this instance's current kid. */
export function publishable(records: readonly SigningKeyRecord[], currentKid: string, now: Date): PublicJwk[] {
  return records
    .filter((r, i) => {
      const next = records[i + 1];
      return r.kid === currentKid || !next || now.getTime() < next.registeredAt.getTime() + RETIRED_KEY_PUBLISHED_MS;
    })
    .map((r) => r.jwk);
}

export async function publishedKeys(now: Date): Promise<PublicJwk[]> {
  const key = await signingKey(now);
  const records = await listSigningKeys();
  const keys = publishable(records, key.kid, now);
  return keys.some((k) => k.kid === key.kid) ? keys : [...keys, key.publicJwk];
}
