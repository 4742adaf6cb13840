// sales/{id}: the ledger, and salesTotals/{creator~product~currency~bucket~shard}: its running totals.
//
// Every ledger entry is written in the same commit as the change it pays for, with an id derived
// from what it records (purchase, renewal or reversal of one purchase), so a repeated delivery
// can never record it twice. The same commit adds the entry to its day's, month's and year's
// totals with FieldValue.increment (no read, no lock), so getStats reads a bounded number of
// buckets instead of every sale. Each bucket is spread over up to TOTALS_SHARDS documents
// (`…~<bucket>~s<n>`), so a product selling many times a second spreads its increments instead of
// queueing them on one document; readTotals sums them.
import { compoundId } from '../domain/crypto.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { bucketsOf, countsOf, mergeShards, TOTALS_SHARDS, YEAR_KEYS, type SaleRecord, type SalesCounts, type TotalsBucket } from '../domain/sales.js';
import { COLLECTIONS } from './collections.js';
import { converter, db, firestoreModule, inGroups, isAlreadyExists, merge, put, remove, transaction, type Transaction, type Writer } from './firestore.js';

const sales = async () => (await db()).collection(COLLECTIONS.sales).withConverter(converter<SaleRecord>());
const totals = async () => (await db()).collection(COLLECTIONS.salesTotals).withConverter(converter<TotalsBucket>());

/** A ledger entry's id: `entry` is `purchase`, `reversal`, or `renewal:<renewal id>`. */
export const saleId = (creatorId: string, purchaseId: string, entry: string): string =>
  compoundId(creatorId, purchaseId, entry);

export const saleRef = async (id: string) => (await sales()).doc(id);

export async function readSale(tx: Transaction, id: string): Promise<SaleRecord | undefined> {
  return (await tx.get(await saleRef(id))).data();
}

/** A totals shard's document id: its bucket's creator, product, currency (or licences) and key, then the shard. */
const shardId = (bucket: Pick<TotalsBucket, 'creatorId' | 'productId' | 'currency' | 'key'>, shard: string): string =>
  [bucket.creatorId, bucket.productId, bucket.currency ?? 'licences', bucket.key, shard].join('~');

async function addToTotals(writer: Writer, at: Date, bucket: Pick<TotalsBucket, 'creatorId' | 'productId' | 'currency'>, counts: Partial<SalesCounts> & { licensesIssued?: number }): Promise<void> {
  const [{ FieldValue }, col] = await Promise.all([firestoreModule(), totals()]);
  const increments = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, FieldValue.increment(v)]));
  // One shard for all three buckets of this entry: a reader sums whatever shards exist.
  const shard = `s${Math.floor(Math.random() * TOTALS_SHARDS)}`;
  for (const key of bucketsOf(at)) {
    merge(writer, col.doc(shardId({ ...bucket, key }, shard)), { ...bucket, key, ...increments });
  }
}

/**
 * A purchase's ledger entries, read in `tx`. Queried by purchase id alone (sales keep no index on
 * creatorId: firestore.indexes.json) and narrowed to the creator here, as two creators' purchase
 * ids may be the same.
 */
export async function readSalesOfPurchase(tx: Transaction, creatorId: string, purchaseId: string): Promise<SaleRecord[]> {
  const snap = await tx.get((await sales()).where('purchaseId', '==', purchaseId));
  return snap.docs.map((d) => d.data()).filter((sale) => sale.creatorId === creatorId);
}

/** Adds a ledger entry and its totals to `writer` (a create: the commit fails if it exists). */
export async function recordSale(writer: Writer, sale: SaleRecord): Promise<void> {
  writer.create(await saleRef(sale.id), sale);
  await addToTotals(writer, sale.occurredAt, sale, countsOf(sale));
}

/**
 * Records a sale that issues no licence (a plan with licences switched off) on its own commit;
 * false when the same entry was already recorded (a repeated delivery).
 */
export async function recordSaleOnly(sale: SaleRecord): Promise<boolean> {
  const batch = (await db()).batch();
  await recordSale(batch, sale);
  try {
    await batch.commit();
    return true;
  } catch (e) {
    if (isAlreadyExists(e)) return false;
    throw e;
  }
}

/** Counts a new licence in its product's totals; recordEvent calls it for license.created. */
export async function countLicenseIssued(writer: Writer, creatorId: string, productId: string, at: Date): Promise<void> {
  await addToTotals(writer, at, { creatorId, productId, currency: null }, { licensesIssued: 1 });
}

/** The totals buckets with the given keys, for one creator (or all) and one product (or all). */
export async function readTotals(filter: { creatorId?: string | undefined; productId?: string | undefined; keys: readonly string[] }): Promise<TotalsBucket[]> {
  const col = await totals();
  const snaps = await Promise.all(
    inGroups(filter.keys).map((keys) => {
      let q = col.where('key', 'in', keys);
      if (filter.creatorId !== undefined) q = q.where('creatorId', '==', filter.creatorId);
      if (filter.productId !== undefined) q = q.where('productId', '==', filter.productId);
      return q.get();
    }),
  );
  return mergeShards(snaps.flatMap((s) => s.docs.map((d) => d.data())));
}

/**
 * A creator's (else everyone's) all-time totals: the year buckets, which together count every
 * entry (each counts in its UTC year). One range query on `key` (the (creatorId, key) index),
 * however many years the ledger spans, instead of a key per year, month and day since 1970.
 */
export async function readAllTimeTotals(creatorId: string | undefined): Promise<TotalsBucket[]> {
  let q = (await totals()).where('key', '>=', YEAR_KEYS.from).where('key', '<', YEAR_KEYS.until);
  if (creatorId !== undefined) q = q.where('creatorId', '==', creatorId);
  return mergeShards((await q.get()).docs.map((d) => d.data()));
}

/** Where a walk over totals shards in key order goes on from: the last shard's key and id. */
export interface ShardPosition {
  key: string;
  id: string;
}

/**
 * One page of totals shards with `from` <= key < `until`, in key (then id) order, after `after`:
 * a bucket's shards are next to each other. `creatorId` limits it to one creator (a scoped run).
 */
export async function totalsShardsPage(range: { from: string; until: string }, limit: number, after?: ShardPosition, creatorId?: string): Promise<(TotalsBucket & ShardPosition)[]> {
  const { FieldPath } = await firestoreModule();
  let q = (await totals()).where('key', '>=', range.from).where('key', '<', range.until);
  if (creatorId !== undefined) q = q.where('creatorId', '==', creatorId);
  q = q.orderBy('key').orderBy(FieldPath.documentId());
  const snap = await (after ? q.startAfter(after.key, after.id) : q).limit(limit).get();
  return snap.docs.map((d) => ({ ...d.data(), id: d.id }));
}

/**
 * Folds a bucket's shards into its first shard, in one transaction: the sum written to `s0`, the
 * others deleted. Safe beside writers: a sale that lands on a shard after the fold re-creates it,
 * and readers sum whatever shards exist. Returns how many shards it removed (0: nothing to fold).
 */
export async function foldShards(bucket: Pick<TotalsBucket, 'creatorId' | 'productId' | 'currency' | 'key'>): Promise<number> {
  const col = await totals();
  const refs = Array.from({ length: TOTALS_SHARDS }, (_, i) => col.doc(shardId(bucket, `s${i}`)));
  return transaction(async (tx) => {
    const shards = (await tx.getAll(...refs)).flatMap((s) => (s.exists ? [s.data()!] : []));
    if (shards.length < 2) return 0;
    const [merged] = mergeShards(shards);
    put(tx, refs[0]!, merged!);
    for (const ref of refs.slice(1)) remove(tx, ref);
    return shards.length - 1;
  });
}

/** How far jobs/compactTotals has folded, per kind of bucket: the key the next run starts at. */
export type CompactCursor = Partial<Record<'d' | 'm' | 'y', string>>;
const compactCursorRef = async () => (await db()).collection(COLLECTIONS.jobs).doc('compactTotals').withConverter(converter<CompactCursor>());

export async function readCompactCursor(): Promise<CompactCursor> {
  return (await (await compactCursorRef()).get()).data() ?? {};
}

export async function saveCompactCursor(cursor: CompactCursor): Promise<void> {
  await (await compactCursorRef()).set(cursor, { merge: true });
}

/** Where a sales listing goes on from: the last entry's time (epoch ms) and id. */
interface SalePosition {
  t: number;
  id: string;
}
const isSalePosition = (p: unknown): p is SalePosition => {
  const q = p as Partial<SalePosition> | null;
  return typeof q === 'object' && q !== null && typeof q.t === 'number' && Number.isFinite(q.t) && typeof q.id === 'string';
};

/**
 * One page of ledger entries in [from, until), newest first, for one product (else one creator,
 * else everyone): one query continued from an opaque cursor, reading at most `limit + 1` entries.
 */
export async function listSalePage(
  filter: { creatorId?: string | undefined; productId?: string | undefined; from: Date; until: Date },
  limit: number,
  cursor?: string,
): Promise<{ sales: SaleRecord[]; nextCursor: string | null }> {
  const after = cursor === undefined ? undefined : decodeCursor(cursor, isSalePosition);
  const [{ FieldPath }, col] = await Promise.all([firestoreModule(), sales()]);
  let q = col.where('occurredAt', '>=', filter.from).where('occurredAt', '<', filter.until);
  if (filter.productId !== undefined) q = q.where('productId', '==', filter.productId);
  else if (filter.creatorId !== undefined) q = q.where('creatorId', '==', filter.creatorId);
  q = q.orderBy('occurredAt', 'desc').orderBy(FieldPath.documentId(), 'desc');
  if (after) q = q.startAfter(new Date(after.t), after.id);
  const snap = await q.limit(limit + 1).get();
  const page = snap.docs.slice(0, limit).map((d) => d.data());
  const last = page.at(-1);
  return { sales: page, nextCursor: snap.size > limit && last ? encodeCursor({ t: last.occurredAt.getTime(), id: last.id }) : null };
}
