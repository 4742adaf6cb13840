// events/{id}: the event log. An event is written in the same transaction or batch as the state
// change it records, so it exists exactly when the change committed, once. A license.created
// event also counts in its product's sales totals (licences issued).
import { randomToken } from '../domain/crypto.js';
import type { EventRecord, EventType } from '../domain/events.js';
import type { LicenseRecord } from '../domain/license.js';
import { COLLECTIONS } from './collections.js';
import { converter, db, type Writer } from './firestore.js';
import { countLicenseIssued } from './sales.js';

export const eventsCollection = async () => (await db()).collection(COLLECTIONS.events).withConverter(converter<EventRecord>());

/** Adds the event to `writer` (not yet committed) and returns its id. */
export async function recordEvent(writer: Writer, event: Omit<EventRecord, 'id'>): Promise<string> {
  const id = `evt_${randomToken(15)}`;
  writer.create((await eventsCollection()).doc(id), { ...event, id });
  if (event.type === 'license.created') await countLicenseIssued(writer, event.creatorId, event.productId, event.createdAt);
  return id;
}

/** Records an event about a licence: its creator, product and key, and `data` beside the key. */
export function recordLicenseEvent(
  writer: Writer,
  type: EventType,
  license: Pick<LicenseRecord, 'creatorId' | 'productId' | 'licenseKey'>,
  data: Record<string, unknown>,
  createdAt: Date,
): Promise<string> {
  const { creatorId, productId, licenseKey } = license;
  return recordEvent(writer, { type, creatorId, productId, licenseKey, data: { licenseKey, ...data }, createdAt });
}
