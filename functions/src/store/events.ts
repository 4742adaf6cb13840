// events/{id}: the event log. An event is written in the same transaction or batch as the state
// change it records, so it exists exactly when the change committed, once.
//
// The same commit puts the event in the outbox (eventOutbox/{id}) for creators' webhooks, and
// notes its id in the running request's scope (see collectEvents), so the request can hand it to
// the webhook queue as soon as it has succeeded; a scheduled sweep sends whatever is left over.
// A license.created event also counts in its product's sales totals (licences issued).
import { AsyncLocalStorage } from 'node:async_hooks';
import { compoundId, randomToken } from '../domain/crypto.js';
import type { EventRecord, EventType } from '../domain/events.js';
import type { LicenseRecord } from '../domain/license.js';
import { COLLECTIONS } from './collections.js';
import { converter, db, firestoreModule, transaction, type Writer } from './firestore.js';
import { countLicenseIssued } from './sales.js';

export const eventsCollection = async () => (await db()).collection(COLLECTIONS.events).withConverter(converter<EventRecord>());

export interface OutboxEntry {
  eventId: string;
  creatorId: string;
  createdAt: Date;
}

export const outboxCollection = async () => (await db()).collection(COLLECTIONS.eventOutbox).withConverter(converter<OutboxEntry>());

/** An event recorded in this scope; it may not have committed (a transaction retried, a batch lost). */
export interface NotedEvent {
  id: string;
  creatorId: string;
}

const scope = new AsyncLocalStorage<NotedEvent[]>();

/** Runs `fn` and returns, with its result, every event recordEvent was given while it ran. */
export async function collectEvents<T>(fn: () => Promise<T>): Promise<{ value: T; noted: NotedEvent[] }> {
  const noted: NotedEvent[] = [];
  const value = await scope.run(noted, fn);
  return { value, noted };
}

/** Adds the event to `writer` (not yet committed) and returns its id (`options.id`, else a random one). */
export async function recordEvent(writer: Writer, event: Omit<EventRecord, 'id'>, options: { sandbox?: boolean | undefined; id?: string } = {}): Promise<string> {
  const id = options.id ?? `evt_${randomToken(15)}`;
  const [events, outbox] = await Promise.all([eventsCollection(), outboxCollection()]);
  writer.create(events.doc(id), { ...event, id });
  writer.create(outbox.doc(id), { eventId: id, creatorId: event.creatorId, createdAt: event.createdAt });
  // A sandbox licence (test mode) counts in no stats.
  if (event.type === 'license.created' && !options.sandbox) await countLicenseIssued(writer, event.creatorId, event.productId, event.createdAt);
  scope.getStore()?.push({ id, creatorId: event.creatorId });
  return id;
}

/** Records an event about a licence: its creator, product and key, and `data` beside the key. */
export function recordLicenseEvent(
  writer: Writer,
  type: EventType,
  license: Pick<LicenseRecord, 'creatorId' | 'productId' | 'licenseKey' | 'sandbox'>,
  data: Record<string, unknown>,
  createdAt: Date,
): Promise<string> {
  const { creatorId, productId, licenseKey } = license;
  return recordEvent(writer, { type, creatorId, productId, licenseKey, data: { licenseKey, ...data }, createdAt }, { sandbox: license.sandbox });
}

/** The events with these ids that exist (committed), in no particular order. */
export async function getEvents(ids: readonly string[]): Promise<EventRecord[]> {
  if (ids.length === 0) return [];
  const col = await eventsCollection();
  const snaps = await (await db()).getAll(...ids.map((id) => col.doc(id)));
  return snaps.flatMap((s) => s.data() ?? []) as EventRecord[];
}

/**
 * Records an event once per `key` (its id derives from it): a repeated delivery of what it
 * records finds it there and writes nothing. Returns whether it was recorded now.
 */
export async function recordEventOnce(event: Omit<EventRecord, 'id'>, key: string): Promise<boolean> {
  const id = `evt_${compoundId('once', key)}`;
  const events = await eventsCollection();
  return transaction(async (tx) => {
    if ((await tx.get(events.doc(id))).exists) return false;
    await recordEvent(tx, event, { id });
    return true;
  });
}

export async function getEvent(id: string): Promise<EventRecord | undefined> {
  return (await (await eventsCollection()).doc(id).get()).data();
}

/** Outbox entries older than `before`, oldest first; only `creatorId`'s when given. */
export async function staleOutbox(before: Date, limit: number, creatorId?: string): Promise<OutboxEntry[]> {
  const col = await outboxCollection();
  const snap = await (creatorId === undefined ? col : col.where('creatorId', '==', creatorId)).where('createdAt', '<', before).orderBy('createdAt').limit(limit).get();
  return snap.docs.map((d) => d.data());
}

export async function clearOutbox(ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const [firestore, col] = await Promise.all([db(), outboxCollection()]);
  const batch = firestore.batch();
  for (const id of ids) batch.delete(col.doc(id));
  await batch.commit();
}

export interface EventFilter {
  creatorId?: string | undefined;
  licenseKey?: string | undefined;
  types?: readonly string[] | undefined;
  /** Continue after this event (newest first): its time and id. */
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Events newest first, ties broken by id, so pages never skip or repeat an event. */
export async function listEventRecords(filter: EventFilter): Promise<EventRecord[]> {
  const { FieldPath } = await firestoreModule();
  let q = (await eventsCollection()).orderBy('createdAt', 'desc').orderBy(FieldPath.documentId(), 'desc');
  if (filter.creatorId !== undefined) q = q.where('creatorId', '==', filter.creatorId);
  if (filter.licenseKey !== undefined) q = q.where('licenseKey', '==', filter.licenseKey);
  if (filter.types !== undefined) q = q.where('type', 'in', [...filter.types]);
  if (filter.after) q = q.startAfter(filter.after.createdAt, filter.after.id);
  const snap = await q.limit(filter.limit).get();
  return snap.docs.map((d) => d.data());
}
