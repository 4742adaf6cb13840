// Params and secrets in one place. Secrets come from Secret Manager when deployed and from
// functions/.secret.local in the emulator (see README: Configuration).
import { defineSecret, defineString } from 'firebase-functions/params';

export const ADMIN_SECRET = defineSecret('ADMIN_SECRET');
export const WEBHOOK_SECRET = defineSecret('WEBHOOK_SECRET');
/** The Ed25519 private key as a one-line JWK JSON string with a `kid`. */
export const SIGNING_KEY = defineSecret('SIGNING_KEY');

export const REGION = 'us-central1';

/** Request bodies above this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

/** True inside the Functions emulator (firebase-tools sets this for every worker). */
export const inEmulator = (): boolean => process.env.FUNCTIONS_EMULATOR === 'true';

/** Rate limits from the contract: `limit` calls per fixed, clock-aligned `windowSeconds`. */
export const RATE_LIMITS = {
  /** Every admin call, per API key. */
  admin: { limit: 600, windowSeconds: 60 },
  /** Every client endpoint together, per client IP. */
  clientIp: { limit: 100, windowSeconds: 60 },
  /** `activate` attempts, per licence key. */
  activate: { limit: 15, windowSeconds: 3600 },
  /** `validate` calls, per licence. */
  validate: { limit: 30, windowSeconds: 60 },
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** `lastUsedAt` on an API key is written at most this often. */
export const API_KEY_TOUCH_INTERVAL_MS = 60_000;

/** An activation's `lastSeen` is written at most this often (heartbeat, repeated activate). */
export const LAST_SEEN_TOUCH_INTERVAL_MS = 10 * 60_000;

/** Attempts at one Firestore transaction before the request is answered 503 `busy`. */
export const TRANSACTION_ATTEMPTS = 8;

/**
 * No retry of a transaction starts after this; it answers 503 `busy` instead, so lasting
 * contention never runs into the function timeout (which would be a 500).
 */
export const TRANSACTION_BUDGET_MS = 20_000;

/** The `iss` of session tokens; empty: the Firebase project id. Set in functions/.env. */
export const TOKEN_ISSUER = defineString('TOKEN_ISSUER', { default: '', description: 'The iss claim of session tokens (empty: the project id)' });
/** The platform's fee on every sale, in percent (at most two decimals). Set in functions/.env. */
export const PLATFORM_FEE_PERCENT = defineString('PLATFORM_FEE_PERCENT', { default: '0', description: 'Platform fee on every sale, in percent (0: a creator running their own Seatkey charges themselves nothing)' });
/** The sender address of buyer emails; empty leaves it to the Trigger Email extension's default. */
export const MAIL_FROM_ADDRESS = defineString('MAIL_FROM_ADDRESS', { default: '', description: 'Sender address of buyer emails' });

/** Outbound creator webhooks. */
export const WEBHOOKS = {
  /** The task-queue function that makes deliveries. */
  deliveryFunction: 'deliverWebhook',
  /** One delivery attempt's limit: connect, send and the receiver's status line. */
  timeoutMs: 5_000,
  /** Consecutive failed attempts that pause a webhook. */
  pauseAfterFailures: 10,
  /** Deliveries kept per webhook for listWebhookDeliveries. */
  deliveriesKept: 100,
  perCreator: 20,
  /** Cloud Tasks retries a failed attempt after 5, 10, 20 … seconds, at most an hour apart. */
  retry: { maxAttempts: 8, minBackoffSeconds: 5, maxBackoffSeconds: 3600, maxDoublings: 6 },
  /** Events still in the outbox this long after they were recorded are the sweep's to send. */
  sweepAfterMs: 60_000,
} as const;

/** Scheduled jobs (Cloud Scheduler syntax). */
export const SCHEDULES = {
  expireLicenses: 'every 15 minutes',
  sweepWebhookOutbox: 'every 5 minutes',
  sweepExpired: 'every 5 minutes',
} as const;
