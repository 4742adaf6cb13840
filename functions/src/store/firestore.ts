// The Firestore client, made once and lazily: loading firebase-admin/firestore costs more than
// the whole functions entry module, so nothing pays for it until a request needs the database.
import type * as FirestoreModule from 'firebase-admin/firestore';
import type { Firestore, Transaction, WriteBatch, DocumentData, DocumentReference, FirestoreDataConverter, PartialWithFieldValue, Query, WithFieldValue } from 'firebase-admin/firestore';
import { TRANSACTION_ATTEMPTS, TRANSACTION_BUDGET_MS } from '../config.js';
import { busy } from '../domain/errors.js';

export type { Firestore, Transaction, WriteBatch, Query, DocumentReference };

/** Anything writes can be added to before one atomic commit. */
export type Writer = Transaction | WriteBatch;

const isBatch = (w: Writer): w is WriteBatch => 'commit' in w;

/** `writer.set(ref, data)` for either kind of writer (their overloads do not unify). */
export function put<T>(writer: Writer, ref: DocumentReference<T>, data: WithFieldValue<T>): void {
  if (isBatch(writer)) writer.set(ref, data);
  else writer.set(ref, data);
}

/** `writer.set(ref, data, { merge: true })` for either kind of writer. */
export function merge<T>(writer: Writer, ref: DocumentReference<T>, data: PartialWithFieldValue<T>): void {
  if (isBatch(writer)) writer.set(ref, data, { merge: true });
  else writer.set(ref, data, { merge: true });
}

/** `writer.delete(ref)` for either kind of writer. */
export function remove<T>(writer: Writer, ref: DocumentReference<T>): void {
  if (isBatch(writer)) writer.delete(ref);
  else writer.delete(ref);
}

/** Splits the values of an `in` filter into groups within Firestore's limit of 30 per query. */
export function inGroups<T>(values: readonly T[], size = 30): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < values.length; i += size) groups.push(values.slice(i, i + size));
  return groups;
}

let loaded: Promise<{ db: Firestore; fs: typeof FirestoreModule }> | undefined;

async function load(): Promise<{ db: Firestore; fs: typeof FirestoreModule }> {
  const [{ initializeApp, getApps }, fs] = await Promise.all([
    import('firebase-admin/app'),
    import('firebase-admin/firestore'),
  ]);
  const app = getApps()[0] ?? initializeApp();
  const db = fs.getFirestore(app);
  db.settings({ ignoreUndefinedProperties: true });
  return { db, fs };
}

/** The Firestore database (initialises the Admin SDK on first use). */
export async function db(): Promise<Firestore> {
  loaded ??= load();
  return (await loaded).db;
}

/** The firebase-admin/firestore module: FieldValue, Timestamp, FieldPath. */
export async function firestoreModule(): Promise<typeof FirestoreModule> {
  loaded ??= load();
  return (await loaded).fs;
}

/** The Firestore project id (the emulator's demo project locally). */
export function projectId(): string {
  const id = process.env.GCLOUD_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT;
  if (!id) throw new Error('GCLOUD_PROJECT is not set');
  return id;
}

/**
 * Runs `fn` in a Firestore transaction with a bounded number of attempts and a time budget. If it
 * still cannot commit, Firestore's ABORTED error (or busy(), once the budget is spent) escapes
 * and the pipeline answers 503 `busy`: a retryable refusal with nothing written, never a partial
 * write, and never late enough to hit the function timeout.
 *
 * Retries are the SDK's own: they reuse the transaction's id, which keeps its age, and Firestore
 * resolves lock conflicts in favour of the oldest transaction, so a crowd of contenders drains
 * one by one (fresh transactions per retry would stay equally young and could all lose forever).
 */
export async function transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + TRANSACTION_BUDGET_MS;
  let attempts = 0;
  return (await db()).runTransaction(
    async (tx) => {
      if (attempts++ > 0 && Date.now() > giveUpAt) throw busy();
      return fn(tx);
    },
    { maxAttempts: TRANSACTION_ATTEMPTS },
  );
}

/** Whether `id` can name a document: not empty, no slash, not `.`, `..` or `__x__`, at most 1500 bytes. */
export const isDocumentId = (id: string): boolean =>
  id.length > 0 && !id.includes('/') && id !== '.' && id !== '..' && !/^__.*__$/.test(id) && Buffer.byteLength(id) <= 1500;

// gRPC status Firestore reports when `create()` finds the document already there.
const ALREADY_EXISTS = 6;
export const isAlreadyExists = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === ALREADY_EXISTS;

// gRPC status Firestore reports when `update()` finds no document.
const NOT_FOUND = 5;
export const isNotFound = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === NOT_FOUND;

/** Creates the document; false (and nothing written) if one is already there. */
export async function createIfAbsent<T>(ref: DocumentReference<T>, data: WithFieldValue<T>): Promise<boolean> {
  try {
    await ref.create(data);
    return true;
  } catch (e) {
    if (isAlreadyExists(e)) return false;
    throw e;
  }
}

/**
 * Applies `change` to the document as it stands, in a transaction, and writes it whole; returns
 * the result, or undefined (and writes nothing) if the document does not exist.
 */
export async function patchDocument<T>(ref: DocumentReference<T>, change: (current: T) => Partial<T>): Promise<T | undefined> {
  return transaction(async (tx) => {
    const current = (await tx.get(ref)).data();
    if (current === undefined) return undefined;
    const next = { ...current, ...change(current) };
    tx.set(ref, next as WithFieldValue<T>);
    return next;
  });
}

type Timestampish = { toDate(): Date };
const isTimestamp = (v: unknown): v is Timestampish =>
  typeof v === 'object' && v !== null && typeof (v as Timestampish).toDate === 'function' && 'seconds' in v;

/** Firestore Timestamps (at any depth) back to Dates; everything else as stored. */
export function withDates<T>(value: unknown): T {
  if (isTimestamp(value)) return value.toDate() as T;
  if (Array.isArray(value)) return value.map((v) => withDates(v)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = withDates(v);
    return out as T;
  }
  return value as T;
}

/**
 * A typed converter for a collection whose documents are stored as the model itself
 * (Dates become Timestamps on write and come back as Dates on read).
 */
export function converter<T extends object>(): FirestoreDataConverter<T> {
  return {
    toFirestore: (model) => model as DocumentData,
    fromFirestore: (snap) => withDates<T>(snap.data()),
  };
}
