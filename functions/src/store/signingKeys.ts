// signingKeys/{kid}: the public half of every key that has signed session tokens. A key is
// recorded the first time an instance signs with it, so `publicKey` can keep publishing it after
// a rotation until the last token it signed has expired, and `validate` can still check those.
import { COLLECTIONS } from './collections.js';
import { converter, db, isAlreadyExists } from './firestore.js';

/** An Ed25519 public key as the JWKS publishes it. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  kid: string;
  x: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface SigningKeyRecord {
  kid: string;
  jwk: PublicJwk;
  /** When an instance first signed with it; the next key's time is when this one retired. */
  registeredAt: Date;
}

const signingKeys = async () => (await db()).collection(COLLECTIONS.signingKeys).withConverter(converter<SigningKeyRecord>());

/** Records the key unless it is already known (whoever recorded it first keeps their time). */
export async function registerSigningKey(record: SigningKeyRecord): Promise<void> {
  try {
    await (await signingKeys()).doc(record.kid).create(record);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
}

export async function getSigningKey(kid: string): Promise<SigningKeyRecord | undefined> {
  return (await (await signingKeys()).doc(kid).get()).data();
}

/** Every key ever registered, oldest first (a handful: one per rotation). */
export async function listSigningKeys(): Promise<SigningKeyRecord[]> {
  const snap = await (await signingKeys()).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime());
}
