// Bench-only: counts the Firestore work each request does (document reads, writes, deletes),
// so `npm run bench` can show what a call costs. Off unless the Functions emulator runs with
// SEATKEY_COUNT_FIRESTORE_OPS=1 (the bench sets it; tests and deployments never do), and only for
// a request that asks with `X-Seatkey-Count-Ops: 1` (the cost suite's): then the Admin SDK's
// prototypes are wrapped once, that request's work is added up in an AsyncLocalStorage, and the
// reply carries the totals in `X-Seatkey-Firestore-Ops`. The latency suites do not ask, so what
// they time carries none of this (their floors never do). Deployed, this module is never even
// loaded (see http/pipeline.ts).
//
// What counts is what Firestore bills: a document read per document asked for, found or not;
// per document a query returns, and one for a query that returns none; one per aggregation (up
// to 1,000 index entries); a write or a delete per operation in a commit that succeeded (the
// reads of a transaction attempt that aborted are billed, its writes are not).
import { AsyncLocalStorage } from 'node:async_hooks';
import type * as FirestoreModule from 'firebase-admin/firestore';
import { onCommittedWrites } from './counters.js';
import { db, firestoreModule } from './firestore.js';

export interface OpCounts {
  reads: number;
  writes: number;
  deletes: number;
}

export const OPS_HEADER = 'X-Seatkey-Firestore-Ops';

/** Whether this process counts: the emulator, and the bench asked for it. */
export const countingOps = (): boolean => process.env.SEATKEY_COUNT_FIRESTORE_OPS === '1' && process.env.FUNCTIONS_EMULATOR === 'true';

const current = new AsyncLocalStorage<OpCounts>();

/** Runs one request's work with its own counts, and puts them on the reply before it is sent. */
export function countingRequest<T>(res: { json(body: unknown): unknown; setHeader(name: string, value: string): unknown }, work: () => Promise<T>): Promise<T> {
  const counts: OpCounts = { reads: 0, writes: 0, deletes: 0 };
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    res.setHeader(OPS_HEADER, JSON.stringify(counts));
    return json(body);
  };
  return current.run(counts, work);
}

const add = (kind: keyof OpCounts, n: number): void => {
  const counts = current.getStore();
  if (counts) counts[kind] += n;
};

type AnyFn = (this: unknown, ...args: unknown[]) => Promise<unknown>;
type Proto = Record<string, unknown>;

/** Wraps `proto[name]` (an async method) so `after` sees each call's arguments and result once it succeeds. */
function after(proto: unknown, name: string, see: (self: unknown, args: unknown[], result: unknown) => void): void {
  const p = proto as Proto;
  const original = p[name];
  if (typeof original !== 'function') throw new Error(`opCount: the Firestore SDK has no ${name} to count`);
  p[name] = function (this: unknown, ...args: unknown[]) {
    return (original as AnyFn).apply(this, args).then((result) => {
      see(this, args, result);
      return result;
    });
  };
}

let installing: Promise<void> | undefined;

/** Counting in place: the SDK's paths wrapped, on the first request that asks. */
export function installed(): Promise<void> {
  installing ??= Promise.all([firestoreModule(), db()]).then(([fs, firestore]) => install(fs, firestore));
  return installing;
}

/** Wraps the SDK's read and commit paths (internal methods: checked against @google-cloud/firestore 7–9). */
function install(fs: typeof FirestoreModule, db: FirestoreModule.Firestore): void {
  // Writes made outside the Admin SDK: store/counters.ts commits through the generated client.
  onCommittedWrites((n) => add('writes', n));
  const isRef = (a: unknown) => a instanceof fs.DocumentReference;
  // Document reads outside transactions: ref.get() and db.getAll() both end here.
  after(fs.Firestore.prototype, 'getAll', (_s, args) => add('reads', args.filter(isRef).length));
  // Document reads inside transactions: tx.get(ref) and tx.getAll(...refs).
  after(fs.Transaction.prototype, 'getSingleFn', () => add('reads', 1));
  after(fs.Transaction.prototype, 'getBatchFn', (_s, args) => add('reads', (args[0] as { documents: unknown[] }).documents.length));
  // Queries, in or out of transactions.
  after(fs.Query.prototype, '_get', (_s, _a, r) => add('reads', Math.max(1, (r as { result: { size: number } }).result.size)));
  // AggregateQuery is not among firebase-admin's runtime exports: reached through an instance.
  after(Object.getPrototypeOf(db.collection('opCount').count()), '_get', () => add('reads', 1));
  // Commits of batches and transactions (a transaction commits its own WriteBatch).
  after(fs.WriteBatch.prototype, '_commit', (self) => {
    for (const op of (self as { _ops: { op(): { delete?: unknown } }[] })._ops) add(op.op().delete ? 'deletes' : 'writes', 1);
  });
  // recursiveDelete's BulkWriter: each operation's promise settles once it is written.
  after(fs.BulkWriter.prototype, 'delete', () => add('deletes', 1));
  for (const m of ['set', 'create', 'update']) after(fs.BulkWriter.prototype, m, () => add('writes', 1));
}
