// signingKeys/{kid}: the public half of every key that has signed session tokens, how long the
// last token it signed lives (`signedUntil`), and whether it was revoked. `publicKey` publishes a
// key, and `validate` accepts its tokens, while it is not revoked and that last token may still
// be in use; a retired key then leaves the JWKS by itself.
import { COLLECTIONS } from './collections.js';
import { converter, createIfAbsent, db, transaction } from './firestore.js';

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
  /** When an instance first signed with it. */
  registeredAt: Date;
  /**
   * No token it signed expires after this (raised, a day at a time, before a later-expiring
   * token is handed out). Absent on records from before it was kept: published until revoked.
   */
  signedUntil?: Date;
  /** Set by revokeSigningKey: refused at once, never published again. */
  revokedAt?: Date | null;
}

const signingKeys = async () => (await db()).collection(COLLECTIONS.signingKeys).withConverter(converter<SigningKeyRecord>());

export const signingKeyRef = async (kid: string) => (await signingKeys()).doc(kid);

export async function getSigningKey(kid: string): Promise<SigningKeyRecord | undefined> {
  return (await (await signingKeys()).doc(kid).get()).data();
}

/** Every key ever registered (a handful: one per rotation). */
export async function listSigningKeys(): Promise<SigningKeyRecord[]> {
  const snap = await (await signingKeys()).get();
  return snap.docs.map((d) => d.data());
}

/**
 * Makes sure the registry covers a token of this key living until `needed`: registers the key on
 * first use, raises `signedUntil` to `raiseTo` when it falls short (a transaction, so a raise is
 * never lost), and returns the record as it now stands; the caller refuses to sign with a revoked
 * key. Mostly one read: every instance raises it at most once a day.
 */
export async function recordSigning(kid: string, jwk: PublicJwk, needed: Date, raiseTo: Date, now: Date): Promise<SigningKeyRecord> {
  const ref = (await signingKeys()).doc(kid);
  const covers = (r: SigningKeyRecord) => !!r.revokedAt || (r.signedUntil !== undefined && r.signedUntil.getTime() >= needed.getTime());
  const seen = (await ref.get()).data();
  if (seen && covers(seen)) return seen;
  if (!seen) {
    const record: SigningKeyRecord = { kid, jwk, registeredAt: now, signedUntil: raiseTo, revokedAt: null };
    if (await createIfAbsent(ref, record)) return record;
  }
  return transaction(async (tx) => {
    const current = (await tx.get(ref)).data()!;
    if (covers(current)) return current;
    tx.update(ref, { signedUntil: raiseTo });
    return { ...current, signedUntil: raiseTo };
  });
}

/** Marks the key revoked (once; a second call keeps the first time); undefined if unknown. */
export async function revokeSigningKeyRecord(kid: string, now: Date): Promise<SigningKeyRecord | undefined> {
  const ref = (await signingKeys()).doc(kid);
  return transaction(async (tx) => {
    const current = (await tx.get(ref)).data();
    if (!current) return undefined;
    if (current.revokedAt) return current;
    tx.update(ref, { revokedAt: now });
    return { ...current, revokedAt: now };
  });
}
