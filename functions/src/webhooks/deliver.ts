// The deliverWebhook task: one attempt to deliver one event to one webhook, signed the Standard
// Webhooks way. A failed attempt is logged, and the next is enqueued as a new task scheduled by
// WEBHOOKS.retryScheduleSeconds (about three days in all), unless the webhook has paused itself
// (10 failures in a row, or a 410 Gone at once). Delivery is at least once: a receiver drops
// repeats by the event id (webhook-id).
import { HttpsError } from 'firebase-functions/v2/https';
import { WEBHOOKS } from '../config.js';
import { ATTEMPT_HEADER, EVENT_HEADER, EVENT_ID_HEADER, delivered, deliveryBody, retryDelaySeconds, signatureHeaders, subscribes, type DeliveryFormat, type WebhookFormat } from '../domain/outbound.js';
import { getEvent } from '../store/events.js';
import { getWebhook, logDelivery } from '../store/webhooks.js';
import { postJson } from './destination.js';
import { enqueueDelivery, type DeliveryTask } from './queue.js';

/**
 * One attempt. `formats` lays out deliveries of webhooks set to another system's format (the
 * dialects' delivery formats, handed in by the task's wrapper: this layer names no dialect).
 */
export async function deliver(task: DeliveryTask, formats: Partial<Record<WebhookFormat, DeliveryFormat>> = {}): Promise<void> {
  const [hook, event] = await Promise.all([getWebhook(task.webhookId), getEvent(task.eventId)]);
  // Deleted, paused or no longer interested: nothing to send and nothing to retry.
  if (!hook || !event || hook.status !== 'active' || hook.creatorId !== event.creatorId || !subscribes(hook, event)) return;
  const attempt = task.attempt ?? 1;
  const at = new Date();
  const format = hook.format === undefined || hook.format === 'seatkey' ? undefined : formats[hook.format];
  if (hook.format !== undefined && hook.format !== 'seatkey' && format === undefined) throw new Error(`No delivery format ${hook.format} was given`);
  const foreign = format?.(event, hook.secret);
  // An event the other system has no name for is not sent to its receivers.
  if (format && !foreign) return;
  const body = foreign?.body ?? deliveryBody(event);
  const headers = foreign?.headers ?? {
    ...signatureHeaders(hook, event.id, body, at),
    [EVENT_HEADER]: event.type,
    [EVENT_ID_HEADER]: event.id,
    [ATTEMPT_HEADER]: String(attempt),
  };
  const started = performance.now();
  const outcome = await postJson(hook.url, body, { 'user-agent': 'Seatkey-Webhooks/1', ...headers }, WEBHOOKS.timeoutMs);
  const ok = delivered(outcome.status);
  const error = ok ? null : (outcome.error ?? `HTTP ${outcome.status}`);
  const now = await logDelivery(hook.id, {
    eventId: event.id,
    event: event.type,
    attempt,
    status: outcome.status,
    ok,
    error,
    durationMs: Math.round(performance.now() - started),
    at,
  });
  if (ok || now?.status !== 'active') return;
  const delay = retryDelaySeconds(WEBHOOKS.retryScheduleSeconds, attempt);
  if (delay === undefined) return;
  try {
    await enqueueDelivery({ eventId: event.id, webhookId: hook.id, attempt: attempt + 1 }, delay);
  } catch (e) {
    // An HttpsError is answered 503 without an "unhandled error" log; Cloud Tasks runs this
    // task again (config.ts WEBHOOKS.taskRetry), which repeats the attempt.
    throw new HttpsError('unavailable', `The next delivery attempt could not be enqueued: ${e instanceof Error ? e.message : String(e)}`);
  }
}
