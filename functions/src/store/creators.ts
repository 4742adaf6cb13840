// creators/{creatorId}: a creator exists once it has an API key or a product, and keeps the
// licence-key prefix derived from its id for good.
import { keyPrefixFor } from '../domain/creator.js';
import { notFound } from '../domain/errors.js';
import { COLLECTIONS } from './collections.js';
import { converter, db, isAlreadyExists } from './firestore.js';

export interface Creator {
  creatorId: string;
  keyPrefix: string;
  /** The display name chosen at sign-up (creators made by the super admin have none). */
  name?: string;
  /** The Firebase Auth uid of the person who signed it up (store/members.ts). */
  ownerUid?: string;
  createdAt: Date;
  /** When the account was closed (store/accounts.ts): the document stays, so the id is never reused. */
  closedAt?: Date;
  /** When nothing of the closed account was left but this document. */
  purgedAt?: Date;
  /** True from closing until the purge is done. */
  purgePending?: boolean;
}

const creators = async () => (await db()).collection(COLLECTIONS.creators).withConverter(converter<Creator>());

/**
 * The creator, created on first use; a closed account is 404 (nothing is made for it again). Creation is a plain `create()`: the record follows from the
 * id alone, so two requests racing to create it write the same thing and the loser just reads
 * it. No transaction, so simultaneous first requests do not contend on one document.
 */
export async function ensureCreator(creatorId: string, now: Date): Promise<Creator> {
  const ref = (await creators()).doc(creatorId);
  const existing = (await ref.get()).data();
  if (existing?.closedAt) throw notFound('Creator');
  if (existing) return existing;
  const creator: Creator = { creatorId, keyPrefix: keyPrefixFor(creatorId), createdAt: now };
  try {
    await ref.create(creator);
    return creator;
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    return (await ref.get()).data() ?? creator;
  }
}

export async function getCreator(creatorId: string): Promise<Creator | undefined> {
  return (await (await creators()).doc(creatorId).get()).data();
}
