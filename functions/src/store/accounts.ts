// Closing an account: the creator document stays as a tombstone (`closedAt`), so its id and
// licence-key prefix are never given to anyone else, and everything else the creator owns is
// deleted — credentials and people first (nothing can act for it from then on), then licences
// (no key of it works from then on), then the rest. A large account is purged over several
// bounded steps: the request does the first, the scheduled job (jobs/purgeClosedAccounts) the rest.
import { COLLECTIONS } from './collections.js';
import type { Creator } from './creators.js';
import { converter, db, firestoreModule, inGroups, transaction, type DocumentReference, type Query } from './firestore.js';

export type ClosedAccount = Pick<Creator, 'creatorId' | 'closedAt' | 'purgedAt'>;

/**
 * Every top-level collection holding documents of one creator (a `creatorId` field), in the order
 * they are deleted. Sub-collections go with their parent document. Documents without one go with
 * what they belong to: a licence's expiry notices (`licenseKey`), an event's outbox entry (its id),
 * a payment connection's secret (its id) and provider customers and ids (`connectionId`), a
 * product's trial claims (`productId`). Rate-limit counters hold nothing but a count and expire on their own.
 */
const BY_CREATOR: readonly { name: string; order?: (q: Query) => Query }[] = [
  { name: COLLECTIONS.apiKeys },
  { name: COLLECTIONS.publishableKeys },
  { name: COLLECTIONS.webhookSecrets },
  { name: COLLECTIONS.paymentConnections },
  { name: COLLECTIONS.members },
  { name: COLLECTIONS.invites },
  { name: COLLECTIONS.webhooks },
  { name: COLLECTIONS.licenses },
  { name: COLLECTIONS.purchases },
  { name: COLLECTIONS.pendingPayments },
  { name: COLLECTIONS.discountCodes },
  { name: COLLECTIONS.mail },
  // events and sales keep no single-field index on creatorId (firestore.indexes.json): their
  // queries by creator go through the composite indexes that order them by time.
  { name: COLLECTIONS.events, order: (q) => q.orderBy('createdAt', 'desc') },
  { name: COLLECTIONS.sales, order: (q) => q.orderBy('occurredAt', 'desc') },
  { name: COLLECTIONS.salesTotals },
  { name: COLLECTIONS.payouts },
];

const creators = async () => (await db()).collection(COLLECTIONS.creators).withConverter(converter<Creator>());

/**
 * Marks the creator closed, in one transaction. Returns undefined when there is no such creator; a
 * creator already closed stays closed at its first time (closing twice is harmless).
 */
export async function closeCreator(creatorId: string, now: Date): Promise<ClosedAccount | undefined> {
  const ref = (await creators()).doc(creatorId);
  return transaction(async (tx) => {
    const creator = (await tx.get(ref)).data();
    if (!creator) return undefined;
    if (creator.closedAt) return { creatorId, closedAt: creator.closedAt, ...(creator.purgedAt ? { purgedAt: creator.purgedAt } : {}) };
    tx.update(ref, { closedAt: now, purgePending: true });
    return { creatorId, closedAt: now };
  });
}

/**
 * Deletes up to `budget` documents of a closed creator (each with its sub-collections), in the
 * order of BY_CREATOR then its products and their trial claims, and records `purgedAt` when
 * nothing is left. Returns how many top-level documents went and whether the purge is complete.
 * Safe to run twice at once: deleting a deleted document is a no-op.
 */
export async function purgeCreator(creatorId: string, budget: number, now: Date): Promise<{ deleted: number; done: boolean }> {
  const firestore = await db();
  const writer = firestore.bulkWriter();
  let deleted = 0;
  /** Deletes what `query` finds, page by page, with what `alongside` names for each page; true when none is left. */
  const take = async (query: Query, alongside?: (ids: string[]) => Promise<DocumentReference[]>): Promise<boolean> => {
    while (deleted < budget) {
      const snap = await query.limit(Math.min(200, budget - deleted)).get();
      if (snap.empty) return true;
      const extra = alongside ? await alongside(snap.docs.map((d) => d.id)) : [];
      await Promise.all([...snap.docs.map((d) => d.ref), ...extra].map((ref) => firestore.recursiveDelete(ref, writer)));
      deleted += snap.size;
    }
    return (await query.limit(1).get()).empty;
  };
  const { FieldValue } = await firestoreModule();
  const expiryNotices = async (licenseKeys: string[]) =>
    (await Promise.all(inGroups(licenseKeys).map((keys) => firestore.collection(COLLECTIONS.expiryNotices).where('licenseKey', 'in', keys).get()))).flatMap((s) => s.docs.map((d) => d.ref));
  const trialClaims = async (productIds: string[]) =>
    (await Promise.all(productIds.map((id) => firestore.collection(COLLECTIONS.trialClaims).where('productId', '==', id).get()))).flatMap((s) => s.docs.map((d) => d.ref));

  let done = true;
  // An event's outbox entry has the event's id (and no index on creatorId).
  const outboxEntries = async (eventIds: string[]) => eventIds.map((id) => firestore.collection(COLLECTIONS.eventOutbox).doc(id));
  // A payment connection's secret has its id; what it learnt of the provider's customers and ids
  // names the connection.
  const connectionData = async (connectionIds: string[]) => [
    ...connectionIds.map((id) => firestore.collection(COLLECTIONS.paymentConnectionSecrets).doc(id)),
    ...(
      await Promise.all(
        [COLLECTIONS.providerCustomers, COLLECTIONS.providerRefs].flatMap((name) => inGroups(connectionIds).map((ids) => firestore.collection(name).where('connectionId', 'in', ids).get())),
      )
    ).flatMap((snap) => snap.docs.map((d) => d.ref)),
  ];
  const alongside: Record<string, (ids: string[]) => Promise<DocumentReference[]>> = {
    [COLLECTIONS.licenses]: expiryNotices,
    [COLLECTIONS.events]: outboxEntries,
    [COLLECTIONS.paymentConnections]: connectionData,
  };
  for (const { name, order } of BY_CREATOR) {
    const byCreator = firestore.collection(name).where('creatorId', '==', creatorId);
    done = await take(order ? order(byCreator) : byCreator, alongside[name]);
    if (!done) break;
  }
  // A product goes last, with its trial claims (bounded by the buyers who ever took a trial).
  if (done) done = await take(firestore.collection(COLLECTIONS.products).where('creatorId', '==', creatorId), trialClaims);
  await writer.close();
  if (done) await (await creators()).doc(creatorId).update({ purgedAt: now, purgePending: FieldValue.delete() });
  return { deleted, done };
}

/** Closed creators whose purge is not finished, for the scheduled job to go on with. */
export async function unpurgedCreators(limit: number): Promise<string[]> {
  const snap = await (await creators()).where('purgePending', '==', true).limit(limit).get();
  return snap.docs.map((d) => d.id);
}
