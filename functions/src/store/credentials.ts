// Secrets a creator is issued and presents later (API keys, payment-webhook secrets): stored only
// as their SHA-256, which is the document id, so authenticating is one document read; `id` is
// the public handle used to list and revoke them.
import { API_KEY_TOUCH_INTERVAL_MS } from '../config.js';
import { randomToken, sha256Hex } from '../domain/crypto.js';
import { converter, db } from './firestore.js';

export interface CredentialRecord {
  id: string;
  creatorId: string;
  name: string;
  /** The first characters of the secret, so a creator can tell them apart. */
  prefix: string;
  hash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revoked: boolean;
  revokedAt: Date | null;
}

export function credentialStore(collection: string) {
  const col = async () => (await db()).collection(collection).withConverter(converter<CredentialRecord>());
  return {
    /**
     * A new secret `<secretPrefix><256 random bits>` for the creator, stored as its hash; the
     * secret itself is returned once and kept nowhere.
     */
    async issue(fields: { creatorId: string; name: string; secretPrefix: string; idPrefix: string; now: Date }): Promise<{ secret: string; record: CredentialRecord }> {
      const secret = `${fields.secretPrefix}${randomToken(32)}`;
      const record: CredentialRecord = {
        id: `${fields.idPrefix}${randomToken(12)}`,
        creatorId: fields.creatorId,
        name: fields.name,
        prefix: secret.slice(0, fields.secretPrefix.length + 4),
        hash: sha256Hex(secret),
        createdAt: fields.now,
        lastUsedAt: null,
        revoked: false,
        revokedAt: null,
      };
      await (await col()).doc(record.hash).create(record);
      return { secret, record };
    },
    async findByHash(hash: string): Promise<CredentialRecord | undefined> {
      return (await (await col()).doc(hash).get()).data();
    },
    async findById(id: string): Promise<CredentialRecord | undefined> {
      const snap = await (await col()).where('id', '==', id).limit(1).get();
      return snap.docs[0]?.data();
    },
    /** A creator's (or, undefined, everyone's) records, oldest first. */
    async list(creatorId: string | undefined): Promise<CredentialRecord[]> {
      const c = await col();
      const snap = await (creatorId === undefined ? c : c.where('creatorId', '==', creatorId)).get();
      return snap.docs.map((d) => d.data()).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    },
    /** Records use, at most once per interval per record, so authentication is not a write per request. */
    async touch(record: CredentialRecord, now: Date): Promise<void> {
      if (record.lastUsedAt && now.getTime() - record.lastUsedAt.getTime() < API_KEY_TOUCH_INTERVAL_MS) return;
      await (await col()).doc(record.hash).update({ lastUsedAt: now });
    },
    async markRevoked(record: CredentialRecord, now: Date): Promise<void> {
      await (await col()).doc(record.hash).update({ revoked: true, revokedAt: now });
    },
  };
}
