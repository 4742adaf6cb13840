// apiKeys/{sha256 of the key}: a creator's API keys, stored only as a hash. The document id is
// the hash, so authenticating a request is one document read; `id` is the public handle.
import { API_KEY_TOUCH_INTERVAL_MS } from '../config.js';
import { COLLECTIONS } from './collections.js';
import { converter, db } from './firestore.js';

export interface ApiKeyRecord {
  id: string;
  creatorId: string;
  name: string;
  /** The first characters of the key, so a creator can tell keys apart. */
  prefix: string;
  hash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revoked: boolean;
  revokedAt: Date | null;
}

const apiKeys = async () => (await db()).collection(COLLECTIONS.apiKeys).withConverter(converter<ApiKeyRecord>());

export async function insertApiKey(record: ApiKeyRecord): Promise<void> {
  await (await apiKeys()).doc(record.hash).create(record);
}

export async function findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
  return (await (await apiKeys()).doc(hash).get()).data();
}

/** Records use, at most once per interval per key, so authentication is not a write per request. */
export async function touchApiKey(record: ApiKeyRecord, now: Date): Promise<void> {
  if (record.lastUsedAt && now.getTime() - record.lastUsedAt.getTime() < API_KEY_TOUCH_INTERVAL_MS) return;
  await (await apiKeys()).doc(record.hash).update({ lastUsedAt: now });
}

export async function listApiKeyRecords(creatorId: string | undefined): Promise<ApiKeyRecord[]> {
  const col = await apiKeys();
  const snap = await (creatorId === undefined ? col : col.where('creatorId', '==', creatorId)).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export async function findApiKeyById(id: string): Promise<ApiKeyRecord | undefined> {
  const snap = await (await apiKeys()).where('id', '==', id).limit(1).get();
  return snap.docs[0]?.data();
}

export async function markApiKeyRevoked(record: ApiKeyRecord, now: Date): Promise<void> {
  await (await apiKeys()).doc(record.hash).update({ revoked: true, revokedAt: now });
}
