// licenses/{licenseKey} and purchases/{hash of creator and purchase id}.
//
// A licence document is always written whole (never a partial update), through a converter
// that also stores its derived `baseStatus`, `threatLevel` and `lapsesAt`, so queries can filter
// on them and they can never disagree with the fields they come from.
import type { DocumentData, FirestoreDataConverter } from 'firebase-admin/firestore';
import { compoundId } from '../domain/crypto.js';
import { baseStatusOf, endsAt, seatLimitOf, threatLevelOf, type LicenseRecord } from '../domain/license.js';
import { generateLicenseKey } from '../domain/licenseKey.js';
import type { PaidMoney, Period } from '../domain/payment.js';
import { COLLECTIONS } from './collections.js';
import { ensureCreator } from './creators.js';
import { db, firestoreModule, isAlreadyExists, put, remove, withDates, type Query, type Transaction, type WriteBatch, type Writer } from './firestore.js';
import { recordLicenseEvent } from './events.js';
import { checked } from './licenseReads.js';
import { countSeats, countSeatsIn, seatsOnShards, storedForm } from './seatCounts.js';

/**
 * `lapsesAt`: when the licence stops working (its expiry plus any grace days), or the end of time
 * for a perpetual licence, so that one range filter (`lapsesAt > now`) finds the licences not yet
 * expired (a null `expiresAt` would match no range).
 */
const NEVER = new Date('9999-12-31T23:59:59.999Z');
export const lapsesAtOf = (l: Pick<LicenseRecord, 'expiresAt' | 'graceDays'>): Date => endsAt(l) ?? NEVER;

const licenseConverter: FirestoreDataConverter<LicenseRecord> = {
  toFirestore: (l) => {
    const license = l as LicenseRecord;
    return { ...license, baseStatus: baseStatusOf(license), threatLevel: threatLevelOf(license), lapsesAt: lapsesAtOf(license) } as DocumentData;
  },
  fromFirestore: (snap) => {
    const { baseStatus: _b, threatLevel: _t, lapsesAt: _l, ...rest } = snap.data();
    return withDates<LicenseRecord>(rest);
  },
};

export const licensesCollection = async () => (await db()).collection(COLLECTIONS.licenses).withConverter(licenseConverter);
export const licenseRef = async (licenseKey: string) => (await licensesCollection()).doc(licenseKey);

/**
 * One document read: the key is the document id. A licence without a seat limit has its seat
 * shards added (one more query: store/seatCounts.ts).
 */
export async function getLicenseRecord(licenseKey: string): Promise<LicenseRecord | undefined> {
  return countSeats(await checked((await (await licenseRef(licenseKey)).get()).data()));
}

/** The licence in `tx`, its seat shards (if any) read and held with it, so a write folds them. */
export async function readLicense(tx: Transaction, licenseKey: string): Promise<LicenseRecord | undefined> {
  return countSeatsIn(tx, await checked((await tx.get(await licenseRef(licenseKey))).data()));
}

/**
 * Writes the whole licence (with its derived fields) into `writer`. A record read with its seat
 * shards in the same transaction folds them: the document takes the whole count, the shards go.
 */
export async function writeLicense(writer: Writer, license: LicenseRecord): Promise<void> {
  const { license: stored, fold } = storedForm(license);
  put(writer, await licenseRef(license.licenseKey), stored);
  for (const ref of fold) remove(writer, ref);
}

/**
 * Seats held right now by live licences in force (active or degraded, not yet lapsed), for one
 * product, else one creator, else everyone: aggregation queries, whatever the count. Sandbox
 * (test-mode) licences count in no stats: their seats are summed apart and taken off, because
 * licences older than test mode have no `sandbox` field for a filter on `false` to match.
 * Seats still on shards (licences without a limit, store/seatCounts.ts) are added from the
 * shards' collection group by creator or product; a shard carries no status, so a site licence
 * that lapsed or was revoked without a write since its last activations still counts them
 * until its next change folds them.
 */
export async function countActiveMachines(filter: { creatorId?: string | undefined; productId?: string | undefined }, now: Date): Promise<number> {
  const [{ AggregateField }, col] = await Promise.all([firestoreModule(), licensesCollection()]);
  let q: Query<LicenseRecord> = col.where('baseStatus', 'in', ['active', 'degraded']).where('lapsesAt', '>', now);
  if (filter.productId !== undefined) q = q.where('productId', '==', filter.productId);
  else if (filter.creatorId !== undefined) q = q.where('creatorId', '==', filter.creatorId);
  const sum = (query: Query<LicenseRecord>) => query.aggregate({ machines: AggregateField.sum('machinesUsed') }).get().then((s) => s.data().machines ?? 0);
  const [all, sandbox, onShards] = await Promise.all([sum(q), sum(q.where('sandbox', '==', true)), seatsOnShards(filter)]);
  return all - sandbox + onShards;
}

export interface PurchaseRecord {
  creatorId: string;
  purchaseId: string;
  licenseKey: string;
  productId: string;
  createdAt: Date;
  /** What was paid and given back, for a purchase sold through paymentWebhook (domain/payment.ts). */
  paid?: PaidMoney;
  /** The billing period the latest renewal paid for. */
  lastPeriod?: Period;
}

const purchaseDocId = (creatorId: string, purchaseId: string) => compoundId(creatorId, purchaseId);
export const purchaseRef = async (creatorId: string, purchaseId: string) =>
  (await db()).collection(COLLECTIONS.purchases).doc(purchaseDocId(creatorId, purchaseId));

export async function getPurchase(creatorId: string, purchaseId: string): Promise<PurchaseRecord | undefined> {
  const snap = await (await purchaseRef(creatorId, purchaseId)).get();
  return snap.exists ? withDates<PurchaseRecord>(snap.data()) : undefined;
}

/** The licence a purchase id was issued, if any (two reads). */
export async function findPurchasedLicense(creatorId: string, purchaseId: string): Promise<LicenseRecord | undefined> {
  const purchase = await getPurchase(creatorId, purchaseId);
  return purchase && getLicenseRecord(purchase.licenseKey);
}

const prefixes = new Map<string, string>();
/** The creator's key prefix, cached: it never changes once the creator exists. */
async function keyPrefix(creatorId: string, now: Date): Promise<string> {
  let prefix = prefixes.get(creatorId);
  if (!prefix) {
    prefix = (await ensureCreator(creatorId, now)).keyPrefix;
    prefixes.set(creatorId, prefix);
  }
  return prefix;
}

export interface IssueOptions {
  /** Writes that must commit with the licence, exactly once (a code use, a mail, a sale). */
  also?: (batch: WriteBatch, license: LicenseRecord) => Promise<void> | void;
  /** The money the purchase paid, kept on its purchase record. */
  paid?: PaidMoney | undefined;
  /**
   * The licence's key, already in its stored form (an imported key): no key is drawn, and if a
   * licence with this key exists, nothing is written and that licence is returned
   * (`created: false`), whoever's it is; the caller decides what that means.
   */
  key?: string | undefined;
}

export interface Issued {
  license: LicenseRecord;
  /** false when `purchaseId` had already been issued: `license` is the first one. */
  created: boolean;
}

/**
 * Issues a licence with a fresh key. With a purchase id it is idempotent: the licence, its
 * purchase record, its license.created event and the `also` writes are one atomic batch whose
 * purchase write is a create, so however many requests race with one purchase id, exactly one
 * batch commits and every other request returns that licence. No transaction, so nothing
 * contends for locks.
 */
export async function issueLicense(draft: Omit<LicenseRecord, 'licenseKey'>, options: IssueOptions = {}): Promise<Issued> {
  const prefix = await keyPrefix(draft.creatorId, draft.createdAt);
  const firestore = await db();
  for (let attempt = 0; ; attempt++) {
    const license: LicenseRecord = { ...draft, licenseKey: options.key ?? generateLicenseKey(prefix) };
    const batch = firestore.batch();
    batch.create(await licenseRef(license.licenseKey), license);
    if (license.purchaseId !== null) {
      const purchase: PurchaseRecord = {
        creatorId: license.creatorId,
        purchaseId: license.purchaseId,
        licenseKey: license.licenseKey,
        productId: license.productId,
        createdAt: license.createdAt,
        ...(options.paid ? { paid: options.paid } : {}),
      };
      batch.create(await purchaseRef(license.creatorId, license.purchaseId), purchase);
    }
    await recordLicenseEvent(
      batch,
      'license.created',
      license,
      // The seat limit (-1: none) and expiry too: receivers (Paperkey's format) show them.
      { email: license.email, productId: license.productId, purchaseId: license.purchaseId, maxMachines: seatLimitOf(license) ?? -1, expiresAt: license.expiresAt?.toISOString() ?? null },
      license.createdAt,
    );
    await options.also?.(batch, license);
    try {
      await batch.commit();
      return { license, created: true };
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const first = license.purchaseId !== null && (await findPurchasedLicense(license.creatorId, license.purchaseId));
      if (first) return { license: first, created: false };
      const holder = await getLicenseRecord(license.licenseKey);
      // A create() in `also` failed (a trial already claimed, say): that is the caller's to report.
      if (!holder) throw e;
      // A given key is taken: by this import earlier or at the same moment, or by someone else.
      if (options.key !== undefined) return { license: holder, created: false };
      // Otherwise the 60-bit key collided with an existing one: draw again.
      if (attempt >= 3) throw e;
    }
  }
}
