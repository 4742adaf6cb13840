// listLicenses: one Firestore query per page, continued from an opaque cursor.
//
// A page costs the same at any depth: the cursor holds the last licence's sort values and key,
// and the next query starts after them in the index (startAfter), never skipping an offset.
// Every query shape here has its composite index in firestore.indexes.json; the unit test
// functions/test/licenseList.test.ts checks that for every combination of filters.
//
// Order: newest first (createdAt, then key). Status filters that depend on expiry (active,
// degraded, expired) need a range on `lapsesAt`, and a range filter's field must lead the
// order for the index to serve it without scanning, so those list by expiry, soonest first
// (perpetual licences last), then key. Either order is total, so pages never overlap or skip.
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import type { LicenseRecord, ListedStatus } from '../domain/license.js';
import { firestoreModule, type Query } from './firestore.js';
import { lapsesAtOf, licensesCollection } from './licenses.js';
import { countSeats } from './seatCounts.js';

export interface LicenseFilter {
  /** Omitted for the super admin listing every creator; unused when productId is given. */
  creatorId?: string | undefined;
  productId?: string | undefined;
  email?: string | undefined;
  status?: ListedStatus | undefined;
  /**
   * Only sandbox (test-mode) licences, or only live ones; undefined: both. Applied to each page
   * as read, not in the query (licences older than test mode carry no `sandbox` field for an
   * equality filter to match), so a page may hold fewer than `limit`; `nextCursor` still goes on.
   */
  sandbox?: boolean | undefined;
}

type Op = '==' | 'in' | '>' | '<=';
export interface ListPlan {
  /** Equality (==, in) filters, then at most one range filter, on stored fields. */
  where: [field: string, op: Op, value: unknown][];
  /** The sort field; the document id (same direction) breaks ties. */
  order: { field: 'createdAt' | 'lapsesAt'; direction: 'asc' | 'desc' };
}

/** The query for a filter at `now`. Pure, so the index test can enumerate every shape. */
export function listPlan(filter: LicenseFilter, now: Date): ListPlan {
  const where: ListPlan['where'] = [];
  // A product belongs to one creator (the endpoint has checked the caller may see it), so the
  // product filter implies the creator's and the query needs one equality less.
  if (filter.productId !== undefined) where.push(['productId', '==', filter.productId]);
  else if (filter.creatorId !== undefined) where.push(['creatorId', '==', filter.creatorId]);
  if (filter.email !== undefined) where.push(['email', '==', filter.email]);
  switch (filter.status) {
    case undefined:
      return { where, order: { field: 'createdAt', direction: 'desc' } };
    case 'revoked':
    case 'suspended':
      // Expiry does not matter: these win over expired (domain/license.ts statusAt).
      where.push(['baseStatus', '==', filter.status]);
      return { where, order: { field: 'createdAt', direction: 'desc' } };
    case 'active':
    case 'degraded':
      where.push(['baseStatus', '==', filter.status], ['lapsesAt', '>', now]);
      return { where, order: { field: 'lapsesAt', direction: 'asc' } };
    case 'expired':
      where.push(['baseStatus', 'in', ['active', 'degraded']], ['lapsesAt', '<=', now]);
      return { where, order: { field: 'lapsesAt', direction: 'asc' } };
  }
}

interface Position {
  /** The sort field, so a cursor cannot continue a listing in another order. */
  f: ListPlan['order']['field'];
  /** Its value, in epoch milliseconds. */
  v: number;
  /** The licence key. */
  k: string;
}

const sortValue = (l: LicenseRecord, field: ListPlan['order']['field']): Date => (field === 'createdAt' ? l.createdAt : lapsesAtOf(l));

const positionOf = (plan: ListPlan, last: LicenseRecord): Position => ({
  f: plan.order.field,
  v: sortValue(last, plan.order.field).getTime(),
  k: last.licenseKey,
});

const isPositionIn =
  (plan: ListPlan) =>
  (p: unknown): p is Position => {
    const q = p as Partial<Position> | null;
    return typeof q === 'object' && q !== null && q.f === plan.order.field && typeof q.v === 'number' && Number.isFinite(q.v) && typeof q.k === 'string';
  };

export interface LicensePage {
  licenses: LicenseRecord[];
  /** null on the last page. */
  nextCursor: string | null;
}

/** One page of at most `limit` licences; reads at most `limit + 1` documents. */
export async function listLicensePage(filter: LicenseFilter, now: Date, limit: number, cursor?: string): Promise<LicensePage> {
  const plan = listPlan(filter, now);
  const after = cursor === undefined ? undefined : decodeCursor(cursor, isPositionIn(plan));
  const { FieldPath } = await firestoreModule();
  let query: Query<LicenseRecord> = await licensesCollection();
  for (const [field, op, value] of plan.where) query = query.where(field, op, value);
  query = query.orderBy(plan.order.field, plan.order.direction).orderBy(FieldPath.documentId(), plan.order.direction);
  if (after) query = query.startAfter(new Date(after.v), after.k);
  const snap = await query.limit(limit + 1).get();
  // A licence without a seat limit adds its seat shards (one query each: store/seatCounts.ts).
  const read = await Promise.all(snap.docs.slice(0, limit).map((d) => countSeats(d.data())));
  const last = read.at(-1);
  const licenses = filter.sandbox === undefined ? read : read.filter((l) => (l.sandbox === true) === filter.sandbox);
  return { licenses, nextCursor: snap.size > limit && last ? encodeCursor(positionOf(plan, last)) : null };
}
