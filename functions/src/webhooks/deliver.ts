// The deliverWebhook task: one attempt to deliver one event to one webhook. A failed attempt is
// logged and thrown back to Cloud Tasks, which retries it with exponential backoff
// (config.ts WEBHOOKS.retry) until the webhook succeeds, is paused, or the attempts run out.
// Delivery is at least once: a receiver drops repeats by the event id header.
import { HttpsError } from 'firebase-functions/v2/https';
import { WEBHOOKS } from '../config.js';
import { ATTEMPT_HEADER, EVENT_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, deliveryBody, signBody, subscribes } from '../domain/outbound.js';
import { getEvent } from '../store/events.js';
import { getWebhook, logDelivery } from '../store/webhooks.js';
import { postJson } from './destination.js';
import type { DeliveryTask } from './queue.js';

/** `retryCount` is Cloud Tasks' count of earlier attempts of this task. */
export async function deliver(task: DeliveryTask, retryCount: number): Promise<void> {
  const [hook, event] = await Promise.all([getWebhook(task.webhookId), getEvent(task.eventId)]);
  // Deleted, paused or no longer interested: nothing to send and nothing to retry.
  if (!hook || !event || hook.status !== 'active' || hook.creatorId !== event.creatorId || !subscribes(hook, event)) return;
  const attempt = retryCount + 1;
  const body = deliveryBody(event);
  const started = performance.now();
  const outcome = await postJson(
    hook.url,
    body,
    {
      'user-agent': 'Seatkey-Webhooks/1',
      [SIGNATURE_HEADER]: signBody(hook.secret, body),
      [EVENT_HEADER]: event.type,
      [EVENT_ID_HEADER]: event.id,
      [ATTEMPT_HEADER]: String(attempt),
    },
    WEBHOOKS.timeoutMs,
  );
  const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  const error = ok ? null : (outcome.error ?? `HTTP ${outcome.status}`);
  const now = await logDelivery(hook.id, {
    eventId: event.id,
    event: event.type,
    attempt,
    status: outcome.status,
    ok,
    error,
    durationMs: Math.round(performance.now() - started),
    at: new Date(),
  });
  // An HttpsError is answered 503 without an "unhandled error" log; Cloud Tasks retries it.
  if (!ok && now?.status === 'active') throw new HttpsError('unavailable', `Delivery failed: ${error}`);
}
