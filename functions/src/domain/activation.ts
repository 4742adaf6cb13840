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
  /** ISO 3166 countries the machine called from (activate, heartbeat), oldest first; absent on older records. */
  countries?: string[];
  /** The latest of them; "" when no request carried one. */
  lastCountry?: string;
  /** What the app sent about the machine (OS, app version, …), small and bounded; absent on older records. */
  metadata?: Record<string, unknown>;
  /**
   * The device is blocked on this licence (removeActivation with block): the record stays, holding
   * no seat, so every later activate, validate and heartbeat of the machine is refused until an
   * admin unblocks it.
   */
  blocked?: boolean;
  blockedAt?: Date | null;
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
  ...(a.blocked ? { blocked: true } : {}),
});

/** Bounds of an activation's metadata: it rides along on a hot document, so it stays small. */
export const ACTIVATION_METADATA_MAX_KEYS = 20;
export const ACTIVATION_METADATA_MAX_BYTES = 2048;

/** Whether `lastSeen` is old enough to be written again (reads that touch it do so at most this often). */
export const lastSeenStale = (lastSeen: Date, now: Date, intervalMs: number): boolean => now.getTime() - lastSeen.getTime() >= intervalMs;

/**
 * Request headers that carry the caller's country, where the platform or a proxy in front sets
 * them: App Engine and Google's front end for App Engine (`X-Appengine-Country`), a Cloud Load
 * Balancer custom header set to `{client_region}` (`X-Client-Geo-Location`), Cloudflare
 * (`CF-IPCountry`), and other CDNs (`X-Country-Code`). Informational only: where nothing in
 * front overwrites them, a client can send its own.
 */
export const COUNTRY_HEADERS = ['x-appengine-country', 'x-client-geo-location', 'cf-ipcountry', 'x-country-code'] as const;

/** Unknown, Tor and reserved values the headers use instead of a country. */
const NOT_A_COUNTRY = new Set(['ZZ', 'XX', 'T1', 'A1', 'A2', 'O1', 'EU', 'AP']);

/** The caller's country (two upper-case letters) from the first header that names one. */
export function countryOf(header: (name: string) => string | undefined): string | undefined {
  for (const name of COUNTRY_HEADERS) {
    const code = header(name)?.split(',')[0]?.trim().toUpperCase();
    if (code && /^[A-Z]{2}$/.test(code) && !NOT_A_COUNTRY.has(code)) return code;
  }
  return undefined;
}

/** Distinct countries kept per activation. */
export const COUNTRIES_KEPT = 20;

/** The activation with `country` recorded (unchanged, the same object, when there is none or it is already the last). */
export function withCountry(a: ActivationRecord, country: string | undefined): ActivationRecord {
  if (country === undefined || (a.lastCountry === country && a.countries?.includes(country))) return a;
  const countries = [...(a.countries ?? []).filter((c) => c !== country), country].slice(-COUNTRIES_KEPT);
  return { ...a, countries, lastCountry: country };
}

/** A machine a licence brought from another system (importLicenses): its fingerprint already hashed. */
export interface ImportedMachine {
  fingerprint: string;
  hostname: string;
  firstSeen: Date;
  lastSeen: Date;
}

/**
 * The activation an imported machine becomes. It holds a seat like any activation, except on a
 * floating licence, where a seat is a live lease: the machine is known but leases nothing until
 * it next activates.
 */
export const importedActivation = (licenseKey: string, m: ImportedMachine, floating: boolean, activationId: string): ActivationRecord => ({
  activationId,
  licenseKey,
  fingerprint: m.fingerprint,
  hostname: m.hostname,
  firstSeen: m.firstSeen,
  lastSeen: m.lastSeen,
  sessionActive: !floating,
  leaseExpiresAt: null,
  countries: [],
  lastCountry: '',
});
