// Secrets a creator is issued and presents later (API keys, payment-webhook secrets): stored only
// as their SHA-256, which is the document id, so authenticating is one document read; `id` is
// the public handle used to list and revoke them.
import { API_KEY_TOUCH_INTERVAL_MS } from '../config.js';
import { randomToken, sha256Hex } from '../domain/crypto.js';
import type { ApiScope } from '../domain/apiScopes.js';
import { conflict } from '../domain/errors.js';
import type { Mode } from '../domain/scope.js';
import { converter, db, transaction } from './firestore.js';

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
  /** API keys: what the key may do; absent or null: everything. */
  scopes?: ApiScope[] | null;
  /** API keys: `test` for a sandbox key (`sk_test_`); absent: live. */
  mode?: Mode;
}

/** What a new credential may carry besides its owner and name (API keys: scopes and mode). */
export interface CredentialFields {
  creatorId: string;
  name: string;
  now: Date;
  scopes?: ApiScope[] | null | undefined;
  mode?: Mode | undefined;
}

/** What a store's secrets and ids start with (`sk_live_`/`key_`, `whsec_c_`/`whs_`); test-mode secrets too. */
export interface CredentialKind {
  secretPrefix: string;
  idPrefix: string;
  testSecretPrefix?: string;
}

/** A new secret `<secretPrefix><256 random bits>` and its record; the secret itself is kept nowhere. */
function draft(kind: CredentialKind, fields: CredentialFields): { secret: string; record: CredentialRecord } {
  const test = fields.mode === 'test';
  if (test && kind.testSecretPrefix === undefined) throw new Error('This credential has no test mode');
  const prefix = test ? kind.testSecretPrefix! : kind.secretPrefix;
  const secret = `${prefix}${randomToken(32)}`;
  const record: CredentialRecord = {
    id: `${kind.idPrefix}${randomToken(12)}`,
    creatorId: fields.creatorId,
    name: fields.name,
    prefix: secret.slice(0, prefix.length + 4),
    hash: sha256Hex(secret),
    createdAt: fields.now,
    lastUsedAt: null,
    revoked: false,
    revokedAt: null,
    ...(fields.scopes ? { scopes: fields.scopes } : {}),
    ...(test ? { mode: 'test' as const } : {}),
  };
  return { secret, record };
}

export function credentialStore(collection: string, kind: CredentialKind) {
  const col = async () => (await db()).collection(collection).withConverter(converter<CredentialRecord>());
  return {
    /** A new secret for the creator, stored as its hash; the secret is returned once. */
    async issue(fields: CredentialFields): Promise<{ secret: string; record: CredentialRecord }> {
      const issued = draft(kind, fields);
      await (await col()).doc(issued.record.hash).create(issued.record);
      return issued;
    },
    /**
     * Rotation: a new secret under the same name and the old one revoked, in one commit, so there
     * is never a moment with both or neither. A revoked credential cannot be rotated (409).
     */
    async rotate(old: CredentialRecord, now: Date): Promise<{ secret: string; record: CredentialRecord }> {
      const c = await col();
      const issued = draft(kind, { creatorId: old.creatorId, name: old.name, now, scopes: old.scopes, mode: old.mode });
      await transaction(async (tx) => {
        const current = (await tx.get(c.doc(old.hash))).data();
        if (!current || current.revoked) throw conflict('It is revoked; create a new one instead');
        tx.create(c.doc(issued.record.hash), issued.record);
        tx.update(c.doc(old.hash), { revoked: true, revokedAt: now });
      });
      return issued;
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
