// Outbound creator webhooks: what a delivery carries and how it is signed. Pure: no I/O.
import { createHmac } from 'node:crypto';
import type { EventRecord, EventType } from './events.js';

/** `sha256=` and the hex HMAC-SHA-256 of the raw request body, keyed with the webhook's secret. */
export const SIGNATURE_HEADER = 'x-seatkey-signature';
export const EVENT_HEADER = 'x-seatkey-event';
/** The event id: the same on every retry of one event, so a receiver can drop repeats. */
export const EVENT_ID_HEADER = 'x-seatkey-event-id';
/** Which attempt this is (1 for the first). */
export const ATTEMPT_HEADER = 'x-seatkey-attempt';

export const signBody = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

/** The JSON body a webhook receives for an event. */
export function deliveryBody(event: EventRecord): string {
  return JSON.stringify({
    id: event.id,
    event: event.type,
    createdAt: event.createdAt.toISOString(),
    creatorId: event.creatorId,
    productId: event.productId,
    licenseKey: event.licenseKey,
    data: event.data,
  });
}

/** Whether a webhook wants an event: its event types (none = all) and its product (null = all). */
export const subscribes = (hook: { events: readonly EventType[]; productId: string | null }, event: Pick<EventRecord, 'type' | 'productId'>): boolean =>
  (hook.events.length === 0 || hook.events.includes(event.type)) && (hook.productId === null || hook.productId === event.productId);
