// What the client's methods resolve with. Times are Dates; a field the server did not send is
// null rather than missing, so an app can render any of them without checks.
import type { SeatkeyError } from './errors.js';
import type { StoredActivation } from './state.js';
import type { LicenseType, TokenClaims } from './token.js';

export interface LicenseInfo {
  licenseKey: string;
  productId: string;
  licenseType: LicenseType;
  /** The licence's status at the last online check: "active", "degraded", … */
  status: string;
  variant: string | null;
  activationId: string;
  /** When the licence itself ends; null when perpetual. */
  expiresAt: Date | null;
  /** When the cached session token ends: no validation, online or off, passes it. */
  tokenExpiresAt: Date;
  machinesUsed: number | null;
  maxMachines: number | null;
  /** Floating licences: when this machine's seat lapses unless a heartbeat renews it. */
  leaseExpiresAt: Date | null;
}

export interface ValidLicense {
  valid: true;
  /**
   * How the answer was reached: `online`, the server confirmed it just now; `cached`, the token
   * verified offline and no online check was due; `grace`, a check was due but the server could
   * not be reached, and the licence holds until `graceEndsAt`.
   */
  source: 'online' | 'cached' | 'grace';
  license: LicenseInfo;
  lastOnlineAt: Date;
  /** When validate() next asks the server. */
  nextOnlineCheckAt: Date;
  /** The latest the licence stays valid without reaching the server. */
  graceEndsAt: Date;
  /** Why the server could not be asked (source `grace` only). */
  offlineError: SeatkeyError | null;
  /** The server's warning, if it sent one (a degraded licence, say). */
  warning: string | null;
}

export interface InvalidLicense {
  valid: false;
  /**
   * Why: `NotActivatedError` when this machine has no activation; a definitive refusal
   * (`LicenseRevokedError`, …; the cached activation is gone); `OfflineGraceExpiredError` or
   * `ClockRollbackError` when the server is needed and could not be reached.
   */
  error: SeatkeyError;
}

export type ValidationResult = ValidLicense | InvalidLicense;

export interface ActivationResult {
  license: LicenseInfo;
  /** The server's message ("Activated", …). */
  message: string;
  warning: string | null;
  /** Floating licences: when to send the first heartbeat. */
  nextHeartbeatSeconds: number | null;
}

export interface HeartbeatResult {
  leaseExpiresAt: Date | null;
  nextHeartbeatSeconds: number | null;
}

export interface DeactivationResult {
  machinesUsed: number | null;
  maxMachines: number | null;
}

/** Whether this machine holds a seat on a licence, as the server says (`isActivated()`). */
export interface MachineActivation {
  activated: boolean;
  /** The activation's id (the plan guide's instance ID) when it is activated. */
  activationId: string | null;
  status: string;
}

/** The server's view of a licence key, without binding a machine (`verify`). */
export interface KeyStatus {
  status: string;
  licenseType: LicenseType | null;
  productId: string | null;
  variant: string | null;
  expiresAt: Date | null;
  machinesUsed: number | null;
  maxMachines: number | null;
}

/** What this machine holds, read without the network (`status()`). */
export type LocalStatus =
  | { activated: false }
  | { activated: true; license: LicenseInfo; lastOnlineAt: Date; nextOnlineCheckAt: Date; graceEndsAt: Date };

const date = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

export function licenseInfo(a: StoredActivation, claims: TokenClaims): LicenseInfo {
  return {
    licenseKey: claims.sub,
    productId: claims.pid,
    licenseType: claims.lt,
    status: a.status,
    variant: a.variant,
    activationId: a.activationId,
    expiresAt: claims.lexp === null ? null : new Date(claims.lexp * 1000),
    tokenExpiresAt: new Date(claims.exp * 1000),
    machinesUsed: a.machinesUsed,
    maxMachines: a.maxMachines,
    leaseExpiresAt: date(a.leaseExpiresAt),
  };
}

/** `ACME-7K2M-…-Q4` as `ACME-****-****-****-Q4`: enough to tell keys apart, not to use one. */
export function maskLicenseKey(key: string): string {
  const parts = key.split('-');
  if (parts.length < 3) return `${key.slice(0, 4)}…`;
  return parts.map((p, i) => (i === 0 || i === parts.length - 1 ? p : '*'.repeat(p.length))).join('-');
}
