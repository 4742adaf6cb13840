// licenses/{licenseKey}/seats/{0…SEAT_SHARDS-1}: the seats taken on a licence without a seat limit
// (a site licence, a per-machine or floating one with an unlimited count) or on a floating licence,
// spread over counter documents, so that a rollout's activations, or a crowd of floating machines
// taking the free seats, do not all write the licence document and queue on it one commit at a time.
//
// For such a licence the seat count is `machinesUsed` on the licence document (its base) plus
// the shards' counts. An unlimited licence's activation adds its seat with a blind increment on a
// shard chosen at random: no read of a shard, no write of the licence (only its first activation
// sets `activatedAt`). A floating licence's free seats (its limit less its base) are dealt out
// over the shards as capacities (`shardCapacity`), so no shard may take more than its share and
// the sum can never pass the limit: its activation picks a shard with room from the counts read
// outside the transaction (`pickShard`), reads that one shard in it (`readShard`) and adds its
// seat there, with the licence read but not written; if that shard filled meanwhile, the
// activation runs again. Every store read of a licence hands out the summed count (`countSeats`,
// or `countSeatsIn` inside a transaction, which locks the shards too), and remembers in the record
// how much of it came from shards. Writing a licence read that way folds the shards back
// (licenses.ts writeLicense): the licence document gets the whole count and the shards are
// deleted in the same commit, so a change of type or seat limit, a deactivation, a reset or a
// lapsed lease leaves one exact number that a seat limit can be checked against from then on.
// Shards only ever exist while the stored licence has no seat limit or is floating. Every
// activation transaction reads the licence, so a fold (a write of it) and a seat taken on a shard
// never interleave: a shard's capacity is always reckoned from the base the fold left.
import type { CollectionReference, DocumentReference, Query } from 'firebase-admin/firestore';
import { seatLimitOf, type LicenseRecord } from '../domain/license.js';
import { COLLECTIONS, SUB } from './collections.js';
import { db, firestoreModule, merge, type Transaction } from './firestore.js';

/** Counter documents per licence: each takes about one commit at a time, as any document does. */
export const SEAT_SHARDS = 10;

export interface SeatShard {
  count: number;
  /** The licence's, so stats can add the shards of a creator or product (countActiveMachines). */
  creatorId: string;
  productId: string;
  sandbox: boolean;
}

const shardsOf = async (licenseKey: string) =>
  (await db()).collection(COLLECTIONS.licenses).doc(licenseKey).collection(SUB.seats) as CollectionReference<SeatShard>;

const shardRefs = async (licenseKey: string): Promise<DocumentReference<SeatShard>[]> => {
  const col = await shardsOf(licenseKey);
  return Array.from({ length: SEAT_SHARDS }, (_, n) => col.doc(String(n)));
};

/**
 * Live (not sandbox) seats still on shards, for one product, else one creator, else everyone:
 * one aggregation over the shards' collection group, whatever their licences' status.
 */
export async function seatsOnShards(filter: { creatorId?: string | undefined; productId?: string | undefined }): Promise<number> {
  const [{ AggregateField }, firestore] = await Promise.all([firestoreModule(), db()]);
  let q: Query = firestore.collectionGroup(SUB.seats).where('sandbox', '==', false);
  if (filter.productId !== undefined) q = q.where('productId', '==', filter.productId);
  else if (filter.creatorId !== undefined) q = q.where('creatorId', '==', filter.creatorId);
  return (await q.aggregate({ seats: AggregateField.sum('count') }).get()).data().seats ?? 0;
}

/** Whether the licence, as stored, counts its seats on shards: it has no seat limit, or it is floating. */
export const sharded = (l: LicenseRecord): boolean => seatLimitOf(l) === null || l.licenseType === 'floating';

/**
 * The seats shard `n` may hold of a licence with a seat limit whose document counts `base`: the
 * limit's remaining seats dealt out evenly, the first shards taking one more when they do not
 * divide (none when the base has reached the limit).
 */
export function shardCapacity(limit: number, base: number, n: number): number {
  const left = Math.max(0, limit - base);
  return Math.floor(left / SEAT_SHARDS) + (n < left % SEAT_SHARDS ? 1 : 0);
}

const PART = Symbol('seatShards');

/** What a counted record holds of its shards: their sum, and (read in a transaction) their refs. */
interface ShardPart {
  count: number;
  /** The shards, read (and so locked) in the transaction that holds the record: it may fold them. */
  refs?: DocumentReference<SeatShard>[];
}

type Counted = LicenseRecord & { [PART]?: ShardPart };

// A symbol-keyed property: object spreads carry it from the record read to the one written
// (`{ ...license, … }`), JSON and Firestore never see it.
const withPart = (l: LicenseRecord, part: ShardPart): LicenseRecord => ({ ...l, machinesUsed: l.machinesUsed + part.count, [PART]: part }) as Counted;

const sum = (counts: readonly (number | undefined)[]): number => counts.reduce<number>((s, c) => s + (c ?? 0), 0);

/** Each shard's count, by its number (0 where there is none), and when they were read. */
export interface ShardCounts {
  counts: number[];
  /** The read time, in milliseconds. */
  readAt: number;
}

/** The shards' counts: one query of the shards that exist, outside a transaction. */
export async function shardCounts(licenseKey: string): Promise<ShardCounts> {
  const snap = await (await shardsOf(licenseKey)).get();
  const counts = new Array<number>(SEAT_SHARDS).fill(0);
  for (const d of snap.docs) counts[Number(d.id)] = d.data().count ?? 0;
  return { counts, readAt: snap.readTime.toMillis() };
}

/** The licence with its shards' seats added (one query of the shards that exist), outside a transaction. */
export async function countSeats(license: LicenseRecord): Promise<LicenseRecord>;
export async function countSeats(license: LicenseRecord | undefined): Promise<LicenseRecord | undefined>;
export async function countSeats(license: LicenseRecord | undefined): Promise<LicenseRecord | undefined> {
  if (!license || !sharded(license) || PART in license) return license;
  return withShardCounts(license, (await shardCounts(license.licenseKey)).counts);
}

/** The licence with the shards' seats `shardCounts` read added. */
export const withShardCounts = (license: LicenseRecord, counts: readonly number[]): LicenseRecord => withPart(license, { count: sum(counts) });

/** The licence with its shards' seats added, read in `tx` (which then holds them: it may fold them). */
export async function countSeatsIn(tx: Transaction, license: LicenseRecord | undefined): Promise<LicenseRecord | undefined> {
  if (!license || !sharded(license) || (license as Counted)[PART]?.refs) return license;
  const base = storedForm(license).license;
  const refs = await shardRefs(license.licenseKey);
  const snaps = await tx.getAll(...refs);
  return withPart(base, { count: sum(snaps.map((s) => s.data()?.count)), refs });
}

/** The licence's fields a shard carries, so stats can add the shards of a creator or product. */
const ownerOf = (license: LicenseRecord): Omit<SeatShard, 'count'> => ({ creatorId: license.creatorId, productId: license.productId, sandbox: license.sandbox === true });

/** Counts `delta` seats on a shard chosen at random: a blind increment, nothing read. */
export async function addSeats(tx: Transaction, license: LicenseRecord, delta: number): Promise<void> {
  const [{ FieldValue }, refs] = await Promise.all([firestoreModule(), shardRefs(license.licenseKey)]);
  const ref = refs[Math.floor(Math.random() * SEAT_SHARDS)]!;
  merge(tx, ref, { count: FieldValue.increment(delta), ...ownerOf(license) });
}

/** A shard with room for one more seat, as read in a transaction. */
export interface SeatRoom {
  ref: DocumentReference<SeatShard>;
  count: number;
}

/**
 * A shard with room for one more seat on a licence with a seat limit (as stored: `machinesUsed` is
 * its base), by the counts `seen` outside the transaction, chosen at random so concurrent
 * activations spread over the shards with room; undefined when none has room. That answer is
 * exact, not a guess, when `seen` was read after the licence's last write and the transaction
 * holds the licence read: a shard's count only grows between two writes of the licence (only a
 * fold, which writes it, takes seats off), so shards full when seen are full still.
 */
export function pickShard(license: LicenseRecord, limit: number, seen: ShardCounts): number | undefined {
  const rooms = seen.counts.map((c, n) => (c < shardCapacity(limit, license.machinesUsed, n) ? n : -1)).filter((n) => n >= 0);
  return rooms[Math.floor(Math.random() * rooms.length)];
}

/**
 * Shard `n`, read in `tx`: the room it has for one more seat, or undefined if it filled since it
 * was seen. One shard per activation, never all of them: a transaction holding every shard would
 * stand in the way of every other activation's seat until it commits.
 */
export async function readShard(tx: Transaction, license: LicenseRecord, limit: number, n: number): Promise<SeatRoom | undefined> {
  const ref = (await shardRefs(license.licenseKey))[n]!;
  const count = (await tx.get(ref)).data()?.count ?? 0;
  return count < shardCapacity(limit, license.machinesUsed, n) ? { ref, count } : undefined;
}

/** Takes the seat `readShard` found, in the same transaction. */
export function takeSeat(tx: Transaction, license: LicenseRecord, room: SeatRoom): void {
  merge(tx, room.ref, { count: room.count + 1, ...ownerOf(license) });
}

/**
 * How a record is stored: the licence document's fields (never the shard part) and the shards to
 * delete with it. A record whose shards were read in its transaction folds them: the document takes
 * the whole count. One counted outside a transaction cannot fold: it keeps its base.
 */
export function storedForm(license: LicenseRecord): { license: LicenseRecord; fold: DocumentReference<SeatShard>[] } {
  const { [PART]: part, ...rest } = license as Counted;
  if (!part) return { license: rest, fold: [] };
  if (part.refs) return { license: rest, fold: part.refs };
  return { license: { ...rest, machinesUsed: rest.machinesUsed - part.count }, fold: [] };
}
