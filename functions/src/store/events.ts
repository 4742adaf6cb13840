// events/{id}: the event log. An event is written in the same transaction or batch as the state
// change it records, so it exists exactly when the change committed, once.
import { randomToken } from '../domain/crypto.js';
import type { EventRecord } from '../domain/events.js';
import { COLLECTIONS } from './collections.js';
import { converter, db, type Writer } from './firestore.js';

export const eventsCollection = async () => (await db()).collection(COLLECTIONS.events).withConverter(converter<EventRecord>());

/** Adds the event to `writer` (not yet committed) and returns its id. */
export async function recordEvent(writer: Writer, event: Omit<EventRecord, 'id'>): Promise<string> {
  const id = `evt_${randomToken(15)}`;
  writer.create((await eventsCollection()).doc(id), { ...event, id });
  return id;
}
