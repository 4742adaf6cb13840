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
  /** Every client endpoint together, per client IP (an IPv6 client per /64 network). */
  clientIp: { limit: 100, windowSeconds: 60 },
  /** `validate` calls, per licence. */
  validate: { limit: 30, windowSeconds: 60 },
  /** Portal sign-in links asked for, per email address and per client IP (docs/portal.md). */
  portalLinkEmail: { limit: 5, windowSeconds: 3600 },
  portalLinkIp: { limit: 20, windowSeconds: 3600 },
  /** Every buyer portal call, per signed-in buyer. */
  portal: { limit: 120, windowSeconds: 60 },
  /** "Email me my key" in the portal, per licence. */
  portalResend: { limit: 3, windowSeconds: 3600 },
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

/**
 * Limits per licence that fit the licence (domain/limits.ts): `minimum` calls per window, or
 * `perSeat` times the licence's seat limit where that is more and the licence's type is one the
 * limit `scales` for. Site and unlimited licences have no seat limit and are limited per client
 * IP only.
 */
export const LICENSE_LIMITS = {
  /** `activate` attempts per licence key, refused ones included. */
  activate: { minimum: 15, perSeat: 2, windowSeconds: 3600, scales: ['per-machine', 'floating'] },
  /**
   * `deactivate` calls per licence key: 10 an hour, as Paperkey's, so deactivate/activate churn
   * cannot move a seat round machines without end. A floating licence's machines release their
   * leases as a matter of course (and a released lease mints nothing), so there it scales too.
   */
  deactivate: { minimum: 10, perSeat: 2, windowSeconds: 3600, scales: ['floating'] },
  /**
   * Paperkey's routes (dialects/paperkey/): its document's "per license on activate/deactivate:
   * 10 / hour", one count per licence for both routes together, the same for every licence.
   */
  paperkey: { minimum: 10, perSeat: 0, windowSeconds: 3600, scales: [], everyLicence: true },
} as const;

export type LicenseLimitName = keyof typeof LICENSE_LIMITS;

/**
 * Heartbeats that renew a floating lease are counted per lease, on the lease itself, not per
 * client IP: `multiple` times the renewals the product's heartbeat interval needs in a window.
 */
export const LEASE_RENEWALS = { multiple: 2, windowSeconds: 60 } as const;

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

/**
 * The request header that carries the client's address when a proxy sits in front of the
 * functions; empty (the default) takes the right-most X-Forwarded-For entry, which Google's front
 * end writes. Behind Firebase Hosting set `fastly-client-ip` (see docs/api.md#client-addresses).
 */
export const CLIENT_IP_HEADER = defineString('CLIENT_IP_HEADER', { default: '', description: 'Header with the client address behind a proxy (empty: X-Forwarded-For)' });

/**
 * Where the functions are reached from outside, for the webhook URLs of payment connections;
 * empty: `https://<region>-<project>.cloudfunctions.net` (in the emulator, the emulator's address).
 */
export const PUBLIC_BASE_URL = defineString('PUBLIC_BASE_URL', { default: '', description: 'Public base URL of the functions, for payment providers\' webhook URLs (empty: the cloudfunctions.net address)' });

/**
 * The buyer portal's address, where its sign-in links lead (docs/portal.md); empty:
 * `https://<project>.web.app/portal` (in the emulator, the local Hosting address the request came from).
 */
export const PORTAL_URL = defineString('PORTAL_URL', { default: '', description: 'The buyer portal\'s URL, where sign-in links lead (empty: https://<project>.web.app/portal)' });

/** Outbound creator webhooks. */
export const WEBHOOKS = {
  /** The task-queue function that makes deliveries. */
  deliveryFunction: 'deliverWebhook',
  /** One delivery attempt's limit: connect, send and the receiver's status line. */
  timeoutMs: 5_000,
  /**
   * Consecutive failed attempts that pause a webhook: as many as one event's schedule has, so
   * an event that fails every attempt pauses its webhook, and so do ten failures in a row of
   * several events.
   */
  pauseAfterFailures: 10,
  /** Deliveries kept per webhook for listWebhookDeliveries. */
  deliveriesKept: 100,
  perCreator: 20,
  /** rotateWebhookSigningSecret: how long the old secret signs beside the new one, by default and at most. */
  rotationOverlapHours: 24,
  maxRotationOverlapHours: 168,
  /**
   * Seconds from a failed attempt to the next (a new task, scheduled that far ahead): 5 s, 5 min,
   * 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 20 h. Ten attempts in all, the last about three days
   * (71.6 hours) after the first.
   */
  retryScheduleSeconds: [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 72_000],
  /**
   * Cloud Tasks' own retries, only for a task that failed to run (a crash, the next attempt not
   * enqueued): they repeat the same attempt.
   */
  taskRetry: { maxAttempts: 5, minBackoffSeconds: 30, maxBackoffSeconds: 3600, maxDoublings: 5 },
  /** Events still in the outbox this long after they were recorded are the sweep's to send. */
  sweepAfterMs: 60_000,
} as const;

/** Scheduled jobs (Cloud Scheduler syntax). */
export const SCHEDULES = {
  expireLicenses: 'every 15 minutes',
  /** Reminders are per day of expiry: hourly is plenty, and a run costs a query over the next 60 days' expiries. */
  remindExpiries: 'every 60 minutes',
  sweepWebhookOutbox: 'every 5 minutes',
  sweepExpired: 'every 5 minutes',
  purgeClosedAccounts: 'every 10 minutes',
  /**
   * Closed periods' totals shards are folded once, soon after midnight UTC (a day, and on the 1st
   * a month, has just ended): until then a rolling range reads the last period's shards.
   */
  compactTotals: 'every day 01:15',
} as const;

/**
 * Closing an account (store/accounts.ts): how many documents one request or one job step deletes
 * (each with its sub-collections), and how many closed accounts one job run goes on with.
 */
export const ACCOUNTS = { purgeBudget: 2000, purgeAccountsPerRun: 5 } as const;
