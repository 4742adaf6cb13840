// Outbound creator webhooks: what a delivery carries, how it is signed, when it is tried again
// and what an attempt does to its webhook. Pure: no I/O.
//
// Signatures follow Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), so any
// of its libraries verifies them; X-Seatkey-Signature stays beside them for receivers written
// before. Secrets are `whsec_` and the base64 of their key bytes.
import { createHmac, randomBytes } from 'node:crypto';
import type { EventRecord, EventType } from './events.js';

/** `sha256=` and the hex HMAC-SHA-256 of the raw request body, keyed with the current secret as text. */
export const SIGNATURE_HEADER = 'x-seatkey-signature';
export const EVENT_HEADER = 'x-seatkey-event';
/** The event id: the same on every retry of one event, so a receiver can drop repeats. */
export const EVENT_ID_HEADER = 'x-seatkey-event-id';
/** Which attempt this is (1 for the first). */
export const ATTEMPT_HEADER = 'x-seatkey-attempt';

/**
 * How a webhook's deliveries are laid out: Seatkey's own (Standard Webhooks), or another system's
 * for receivers written against it (a dialect's delivery format, functions/src/dialects/).
 */
export const WEBHOOK_FORMATS = ['seatkey', 'paperkey'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** A delivery in another system's format: its body and headers, or undefined for an event it has no name for. */
export type DeliveryFormat = (event: EventRecord, secret: string) => { body: string; headers: Record<string, string> } | undefined;

/** Standard Webhooks' headers: the message id (the event id), the attempt's Unix time, the signatures. */
export const STANDARD_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;

const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` and the base64 of 32 random bytes. */
export const newWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/** Whether `text` is a secret Standard Webhooks libraries read: `whsec_` and base64 of 24 to 64 bytes. */
export function isWebhookSecret(text: string): boolean {
  const encoded = text.startsWith(SECRET_PREFIX) ? text.slice(SECRET_PREFIX.length) : '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return false;
  const bytes = Buffer.from(encoded, 'base64').length;
  return bytes >= 24 && bytes <= 64;
}

/**
 * The HMAC key of a secret: the bytes its base64 part encodes. Node reads base64url the same
 * way, so secrets issued before Standard Webhooks (base64url) sign with their own bytes too.
 */
const keyOf = (secret: string): Buffer => Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');

export const signBody = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

/** `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`. */
export const standardSignature = (secret: string, id: string, timestamp: number, body: string): string =>
  `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;

/** A webhook's secrets: the current one, and the one it replaced while their overlap lasts. */
export interface WebhookSecrets {
  secret: string;
  previousSecret?: string | null | undefined;
  previousSecretExpiresAt?: Date | null | undefined;
}

/** The secrets that sign at `now`: the current one first, then the previous one during the overlap. */
export function signingSecrets(hook: WebhookSecrets, now: Date): string[] {
  const overlap = hook.previousSecret && hook.previousSecretExpiresAt && hook.previousSecretExpiresAt > now;
  return overlap ? [hook.secret, hook.previousSecret!] : [hook.secret];
}

/** The signature headers of one attempt at `at`: every signing secret in webhook-signature, space-separated. */
export function signatureHeaders(hook: WebhookSecrets, id: string, body: string, at: Date): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    [STANDARD_HEADERS.id]: id,
    [STANDARD_HEADERS.timestamp]: String(timestamp),
    [STANDARD_HEADERS.signature]: signingSecrets(hook, at)
      .map((s) => standardSignature(s, id, timestamp, body))
      .join(' '),
    [SIGNATURE_HEADER]: signBody(hook.secret, body),
  };
}

/**
 * The change that makes `secret` current: the old one keeps signing beside it for
 * `overlapSeconds` (none when 0). A secret replaced during an earlier overlap stops at once.
 */
export function rotation(hook: WebhookSecrets, secret: string, now: Date, overlapSeconds: number): Required<WebhookSecrets> {
  return overlapSeconds > 0
    ? { secret, previousSecret: hook.secret, previousSecretExpiresAt: new Date(now.getTime() + overlapSeconds * 1000) }
    : { secret, previousSecret: null, previousSecretExpiresAt: null };
}

/**
 * Seconds from a failed attempt `attempt` (1-based) to the next, or undefined when the
 * schedule is spent. `schedule[i]` is the wait after attempt i + 1.
 */
export const retryDelaySeconds = (schedule: readonly number[], attempt: number): number | undefined => schedule[attempt - 1];

/** Whether the receiver's status (null: none) took the delivery: any 2xx. Redirects are not followed. */
export const delivered = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

/** What the receiver's answer makes of a webhook. */
export interface DeliveryState {
  status: 'active' | 'paused';
  pausedReason: 'failures' | 'manual' | 'gone' | null;
  consecutiveFailures: number;
}

/**
 * The webhook's state after an attempt answered `status` (null: no answer): a 2xx clears the
 * failure count; 410 Gone pauses it at once (the receiver says the endpoint is no more); the
 * failure that reaches `pauseAfter` pauses it too. A paused webhook stays as it is.
 */
export function afterAttempt(hook: DeliveryState, status: number | null, pauseAfter: number): DeliveryState {
  const consecutiveFailures = delivered(status) ? 0 : hook.consecutiveFailures + 1;
  if (hook.status !== 'active') return { ...hook, consecutiveFailures };
  if (status === 410) return { status: 'paused', pausedReason: 'gone', consecutiveFailures };
  if (consecutiveFailures >= pauseAfter) return { status: 'paused', pausedReason: 'failures', consecutiveFailures };
  return { ...hook, consecutiveFailures };
}

/**
 * The JSON body a webhook receives for an event: `type`, `timestamp` and `data` as Standard
 * Webhooks lays a payload out, beside the names Seatkey used first (`event`, `createdAt`).
 */
export function deliveryBody(event: EventRecord): string {
  const createdAt = event.createdAt.toISOString();
  return JSON.stringify({
    id: event.id,
    type: event.type,
    event: event.type,
    timestamp: createdAt,
    createdAt,
    creatorId: event.creatorId,
    productId: event.productId,
    licenseKey: event.licenseKey,
    data: event.data,
  });
}

/** Whether a webhook wants an event: its event types (none = all) and its product (null = all). */
export const subscribes = (hook: { events: readonly EventType[]; productId: string | null }, event: Pick<EventRecord, 'type' | 'productId'>): boolean =>
  (hook.events.length === 0 || hook.events.includes(event.type)) && (hook.productId === null || hook.productId === event.productId);
