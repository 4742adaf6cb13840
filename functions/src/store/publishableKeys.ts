// publishableKeys/{key}: a product's publishable keys (Paperkey's `pk_…`), which shipped apps send
// on client calls. They are not secrets (every copy of the app carries one), so the key itself is
// the document id and listings show it whole; revoking one refuses it from the next request on.
import { randomToken } from '../domain/crypto.js';
import type { Mode } from '../domain/scope.js';
import { COLLECTIONS } from './collections.js';
import { converter, db } from './firestore.js';

export interface PublishableKeyRecord {
  key: string;
  creatorId: string;
  productId: string;
  mode: Mode;
  createdAt: Date;
  revoked: boolean;
  revokedAt: Date | null;
}

/** `pk_live_` or `pk_test_`: every publishable key starts so. */
export const PUBLISHABLE_KEY = /^pk_(live|test)_[A-Za-z0-9_-]{16,64}$/;

const keys = async () => (await db()).collection(COLLECTIONS.publishableKeys).withConverter(converter<PublishableKeyRecord>());

export async function createPublishableKey(fields: { creatorId: string; productId: string; mode: Mode; now: Date }): Promise<PublishableKeyRecord> {
  const record: PublishableKeyRecord = {
    key: `pk_${fields.mode}_${randomToken(18)}`,
    creatorId: fields.creatorId,
    productId: fields.productId,
    mode: fields.mode,
    createdAt: fields.now,
    revoked: false,
    revokedAt: null,
  };
  await (await keys()).doc(record.key).create(record);
  return record;
}

/** One read; undefined for anything not a stored key (a malformed one is never looked up). */
export async function findPublishableKey(key: string): Promise<PublishableKeyRecord | undefined> {
  if (!PUBLISHABLE_KEY.test(key)) return undefined;
  return (await (await keys()).doc(key).get()).data();
}

/** A product's keys, oldest first. */
export async function listPublishableKeys(productId: string): Promise<PublishableKeyRecord[]> {
  const snap = await (await keys()).where('productId', '==', productId).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export async function markPublishableKeyRevoked(key: string, now: Date): Promise<void> {
  await (await keys()).doc(key).update({ revoked: true, revokedAt: now });
}
