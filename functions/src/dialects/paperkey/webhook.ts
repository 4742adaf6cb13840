// Paperkey's webhook delivery format, for a creator webhook set to `format: "paperkey"`: receivers
// written with Paperkey's SDK verifier keep working. The body is Paperkey's payload
// `{id, event, createdAt, data}`; `X-Paperkey-Signature` is the hex HMAC-SHA-256 of the raw body
// keyed with the webhook's secret (its text, as Paperkey's secrets are used), `X-Paperkey-Event`
// the event name and `X-Paperkey-Delivery` the event id (the same on every retry, for idempotency).
// Only Paperkey's six events are sent; Seatkey's others have no Paperkey name.
import { createHmac } from 'node:crypto';
import type { EventRecord, EventType } from '../../domain/events.js';
import type { DeliveryFormat } from '../../domain/outbound.js';

const PAPERKEY_EVENTS: ReadonlySet<EventType> = new Set(['license.created', 'license.revoked', 'license.reinstated', 'license.expired', 'activation.created', 'activation.removed']);

const orNull = (v: unknown): unknown => (v === undefined ? null : v);

/** `data` as Paperkey lays it out: the licence (`id`, `key`, …), or the activation and its licence's key. */
function dataOf(event: EventRecord): Record<string, unknown> {
  const d = event.data;
  if (event.type.startsWith('activation.')) {
    // Seatkey keeps only a hash of the machine's fingerprint; that hash is what is sent.
    return { id: d.activationId, key: event.licenseKey, fingerprint: orNull(d.fingerprint), name: orNull(d.hostname), ...(d.reason ? { reason: d.reason } : {}) };
  }
  const max = typeof d.maxMachines === 'number' ? d.maxMachines : undefined;
  return { id: event.licenseKey, key: event.licenseKey, email: orNull(d.email), maxActivations: max === undefined || max < 0 ? null : max, expiresAt: orNull(d.expiresAt) };
}

export const paperkeyDelivery: DeliveryFormat = (event, secret) => {
  if (!PAPERKEY_EVENTS.has(event.type)) return undefined;
  const body = JSON.stringify({ id: event.id, event: event.type, createdAt: event.createdAt.toISOString(), data: dataOf(event) });
  return {
    body,
    headers: {
      'x-paperkey-signature': createHmac('sha256', secret).update(body, 'utf8').digest('hex'),
      'x-paperkey-event': event.type,
      'x-paperkey-delivery': event.id,
    },
  };
};
