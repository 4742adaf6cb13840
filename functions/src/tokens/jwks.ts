// The JWKS `publicKey` serves: the current key and every registered key in force (not revoked,
// and the last token it signed not yet expired; see store/signingKeys.ts). Rotation: set a new
// SIGNING_KEY with a new kid; the old key leaves the JWKS once its last token has expired.
// Revocation (revokeSigningKey): it leaves at once.
import { listSigningKeys, type PublicJwk, type SigningKeyRecord } from '../store/signingKeys.js';
import { inForce, signingKey } from './keys.js';

/** The keys to publish from the registry and this instance's current kid. */
export function publishable(records: readonly SigningKeyRecord[], current: PublicJwk, now: Date): PublicJwk[] {
  const keys = records.filter((r) => inForce(r, now) || (r.kid === current.kid && !r.revokedAt)).map((r) => r.jwk);
  const known = records.some((r) => r.kid === current.kid);
  return known ? keys : [...keys, current];
}

export async function publishedKeys(now: Date): Promise<PublicJwk[]> {
  const [key, records] = await Promise.all([signingKey(), listSigningKeys()]);
  return publishable(records, key.publicJwk, now).sort((a, b) => a.kid.localeCompare(b.kid));
}
