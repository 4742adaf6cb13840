// Activations: one machine bound to a licence, identified by a hash of its fingerprint.
import { sha256Base64Url } from './crypto.js';
import type { LeaseRenewals } from './limits.js';

/** licenses/{licenseKey}/activations/{fingerprint} */
export interface ActivationRecord {
  activationId: string;
  licenseKey: string;
  /** base64url SHA-256 of the machine fingerprint the client sent; never the raw value. */
  fingerprint: string;
  /** As the client gave it, trimmed and capped; "" when unknown. */
  hostname: string;
  firstSeen: Date;
  lastSeen: Date;
  /** Holds a seat: always for per-machine and site; for floating, while its lease is held. */
  sessionActive: boolean;
  /** Floating only: when the lease lapses unless renewed by heartbeat. */
  leaseExpiresAt: Date | null;
  /** Floating only: heartbeats that renewed the lease in the current window (its rate limit). */
  renewals?: LeaseRenewals;
}

/** The stored (and token `fp`) form of a machine fingerprint. */
export const fingerprintHash = (machineFingerprint: string): string => sha256Base64Url(machineFingerprint);

export const HOSTNAME_MAX = 255;
export const cleanHostname = (hostname: string | undefined): string => (hostname ?? '').trim().slice(0, HOSTNAME_MAX);

/** What events say about an activation (never the machine's raw fingerprint). */
export const activationEventData = (a: ActivationRecord) => ({
  activationId: a.activationId,
  fingerprint: a.fingerprint,
  hostname: a.hostname,
  sessionActive: a.sessionActive,
});
