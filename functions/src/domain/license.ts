// Licences: the stored record, the status derived from it at read time, threat levels, and the
// terms (type, seats, expiry) a new licence gets from its variant and product.
import { addDuration, type Duration } from './duration.js';
import { UNLIMITED, type LicenseType } from './product.js';

/** The statuses a listing filters by. */
export const LICENSE_STATUSES = ['active', 'degraded', 'suspended', 'revoked', 'expired'] as const;
export type ListedStatus = (typeof LICENSE_STATUSES)[number];
/**
 * `grace`: past its expiry but inside its grace period (graceDays): it still works, with a
 * warning. Listed under `active` (it has not lapsed yet).
 */
export type LicenseStatus = ListedStatus | 'grace';

/** The states an admin may set with updateLicense (revocation has its own endpoints). */
export const ADMIN_STATUSES = ['active', 'degraded', 'suspended'] as const;
export type AdminStatus = (typeof ADMIN_STATUSES)[number];

export const REVOKE_REASONS = ['manual', 'fraud', 'cancelled', 'refund', 'chargeback'] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

/** Threat levels: 0 clean, 1 warning, 2 degraded, 3 suspended, 4 revoked. */
export const THREAT = { clean: 0, warning: 1, degraded: 2, suspended: 3, revoked: 4 } as const;

/** licenses/{licenseKey}: everything but activations and violations (sub-collections). */
export interface LicenseRecord {
  licenseKey: string;
  creatorId: string;
  productId: string;
  variant: string | null;
  email: string;
  licenseType: LicenseType;
  /** -1: unlimited. Per-machine seats; for floating licences the number of machines known. */
  maxMachines: number;
  /** Floating licences only: simultaneous leases. */
  maxConcurrent: number | null;
  /** Seats held: activations (per-machine, site) or leases not yet reclaimed (floating). */
  machinesUsed: number;
  /** What an admin set with updateLicense. */
  adminStatus: AdminStatus;
  revoked: boolean;
  revokeReason: RevokeReason | null;
  revokedAt: Date | null;
  /** The highest severity (0-3) among unresolved violations. */
  violationLevel: number;
  unresolvedViolationsCount: number;
  /** null: perpetual. */
  expiresAt: Date | null;
  purchaseId: string | null;
  purchasedAt: Date | null;
  bundleId: string | null;
  unlockedProducts: string[];
  discountCode: string | null;
  disputeReason: string | null;
  /** Issued from a trial code. */
  trial: boolean;
  /** When a machine first activated it (null: never); absent on licences older than the field. */
  activatedAt?: Date | null;
  /** Brought over from another system by importLicenses, key and all. */
  imported?: boolean;
  /** Made by a test key (`sk_test_`): only test keys see it; it emails no buyer and counts in no stats. */
  sandbox?: boolean;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  /** Seat-freeing transfers allowed per 30 days (domain/transfers.ts); null or absent: no limit. */
  maxTransfers?: number | null;
  /** The transfers inside the current 30-day window, oldest first. */
  transfers?: Date[];
  /** Days after expiresAt the licence keeps working, with status `grace` (from its plan or product). */
  graceDays?: number;
  /** Permanently deactivated (deactivateLicense): revoked for good; nothing brings the key back. */
  deactivatedAt?: Date | null;
}

const ADMIN_LEVEL: Record<AdminStatus, number> = { active: 0, degraded: THREAT.degraded, suspended: THREAT.suspended };

/** 4 when revoked, else the higher of the violations' level and what an admin set. */
export function threatLevelOf(l: Pick<LicenseRecord, 'revoked' | 'violationLevel' | 'adminStatus'>): number {
  if (l.revoked) return THREAT.revoked;
  return Math.min(THREAT.suspended, Math.max(l.violationLevel, ADMIN_LEVEL[l.adminStatus]));
}

/**
 * The status ignoring expiry, kept on the stored document so queries can filter on it:
 * revoked, then suspended, degraded or active by threat level.
 */
export function baseStatusOf(l: Pick<LicenseRecord, 'revoked' | 'violationLevel' | 'adminStatus'>): Exclude<LicenseStatus, 'expired' | 'grace'> {
  const level = threatLevelOf(l);
  if (level >= THREAT.revoked) return 'revoked';
  if (level >= THREAT.suspended) return 'suspended';
  if (level >= THREAT.degraded) return 'degraded';
  return 'active';
}

const DAY_MS = 86_400_000;

/** Days before its expiry a buyer is reminded, unless the product says otherwise (0: never). */
export const DEFAULT_REMINDER_DAYS = 7;
/** The most a product may ask for, and so how far ahead the reminder job looks. */
export const MAX_REMINDER_DAYS = 60;

/** Whether a reminder is due at `now`: in force, expiring later, within `days` of now. */
export const dueForReminder = (l: LicenseRecord, days: number, now: Date): boolean =>
  days > 0 &&
  l.expiresAt !== null &&
  l.expiresAt.getTime() > now.getTime() &&
  l.expiresAt.getTime() - now.getTime() <= days * DAY_MS &&
  (statusAt(l, now) === 'active' || statusAt(l, now) === 'degraded');

/**
 * When the licence stops working: its expiry plus any grace days (null: perpetual). Tokens never
 * outlive it and their `lexp` claim is it.
 */
export const endsAt = (l: Pick<LicenseRecord, 'expiresAt' | 'graceDays'>): Date | null =>
  l.expiresAt && new Date(l.expiresAt.getTime() + (l.graceDays ?? 0) * DAY_MS);

/**
 * The status at `now`. Expiry is derived here, at read time, so it never needs a job to be
 * correct: revoked and suspended win over expired; expired wins over degraded and active. Between
 * the expiry and its end (grace days later) an active licence is in `grace`, a degraded one stays
 * degraded.
 */
export function statusAt(l: LicenseRecord, now: Date): LicenseStatus {
  const base = baseStatusOf(l);
  if (base === 'revoked' || base === 'suspended') return base;
  const end = endsAt(l);
  if (end && end.getTime() <= now.getTime()) return 'expired';
  if (l.expiresAt && l.expiresAt.getTime() <= now.getTime() && base === 'active') return 'grace';
  return base;
}

/** The seat limit that applies to the licence's type; null where there is none. */
export function seatLimitOf(l: Pick<LicenseRecord, 'licenseType' | 'maxMachines' | 'maxConcurrent'>): number | null {
  if (l.licenseType === 'site') return null;
  const limit = l.licenseType === 'floating' ? (l.maxConcurrent ?? 1) : l.maxMachines;
  return limit === UNLIMITED ? null : limit;
}

export interface TermsSource {
  licenseType: LicenseType | null;
  maxMachines: number | null;
  maxConcurrent: number | null;
  duration: Duration | null;
}

export interface TermsOverride {
  licenseType?: LicenseType | undefined;
  maxMachines?: number | undefined;
  maxConcurrent?: number | undefined;
  /** An explicit expiry (null: perpetual) wins over any duration. */
  expiresAt?: Date | null | undefined;
  duration?: Duration | null | undefined;
}

export interface LicenseTerms {
  licenseType: LicenseType;
  maxMachines: number;
  maxConcurrent: number | null;
  expiresAt: Date | null;
}

/**
 * A new licence's terms: what the request says, else the variant's, else the product's.
 * The duration is counted on the calendar from `start` (the purchase time).
 */
export function resolveTerms(product: TermsSource & { licenseType: LicenseType; maxMachines: number; maxConcurrent: number }, variant: TermsSource | undefined, override: TermsOverride, start: Date): LicenseTerms {
  const licenseType = override.licenseType ?? variant?.licenseType ?? product.licenseType;
  const maxMachines = override.maxMachines ?? variant?.maxMachines ?? (licenseType === 'site' ? UNLIMITED : product.maxMachines);
  const maxConcurrent = licenseType === 'floating' ? (override.maxConcurrent ?? variant?.maxConcurrent ?? product.maxConcurrent) : null;
  let expiresAt: Date | null;
  if (override.expiresAt !== undefined) expiresAt = override.expiresAt;
  else {
    const duration = override.duration !== undefined ? override.duration : (variant?.duration ?? product.duration);
    expiresAt = duration ? addDuration(start, duration) : null;
  }
  return { licenseType, maxMachines, maxConcurrent, expiresAt };
}

/**
 * A new licence's term: an explicit expiry or duration as given (null: perpetual), else a trial
 * of `trialDays`, else of the trial code's days (the licence is then a trial); an empty duration
 * leaves it to the variant and product (else perpetual).
 */
export function orderTerm(order: { expiresAt?: Date | null | undefined; duration?: Duration | null | undefined; trialDays?: number | undefined }, codeTrialDays?: number): { duration?: Duration | null; trial: boolean } {
  if (order.expiresAt !== undefined || order.duration !== undefined) return { duration: order.duration, trial: false };
  const trialDays = order.trialDays ?? codeTrialDays;
  if (trialDays !== undefined) return { duration: { value: trialDays, unit: 'days' }, trial: true };
  return { trial: false };
}

/** What a new licence is made from: who and what it is for, its terms, and how it was sold. */
export interface LicenseDraftFields extends LicenseTerms {
  creatorId: string;
  productId: string;
  variant: string | null;
  email: string;
  purchaseId?: string | null;
  purchasedAt?: Date | null;
  bundleId?: string | null;
  unlockedProducts?: string[];
  discountCode?: string | null;
  trial?: boolean;
  metadata?: Record<string, unknown>;
  maxTransfers?: number | null | undefined;
  graceDays?: number | undefined;
  imported?: boolean;
  sandbox?: boolean;
}

/** A new licence's record before its key is drawn: no seats used, active, no violations. */
export function licenseDraft(f: LicenseDraftFields, now: Date): Omit<LicenseRecord, 'licenseKey'> {
  return {
    creatorId: f.creatorId,
    productId: f.productId,
    variant: f.variant,
    email: f.email,
    licenseType: f.licenseType,
    maxMachines: f.maxMachines,
    maxConcurrent: f.maxConcurrent,
    expiresAt: f.expiresAt,
    machinesUsed: 0,
    adminStatus: 'active',
    revoked: false,
    revokeReason: null,
    revokedAt: null,
    violationLevel: 0,
    unresolvedViolationsCount: 0,
    purchaseId: f.purchaseId ?? null,
    purchasedAt: f.purchasedAt ?? null,
    bundleId: f.bundleId ?? null,
    unlockedProducts: f.unlockedProducts ?? [],
    discountCode: f.discountCode ?? null,
    disputeReason: null,
    trial: f.trial ?? false,
    activatedAt: null,
    ...(f.imported ? { imported: true } : {}),
    ...(f.sandbox ? { sandbox: true } : {}),
    metadata: f.metadata ?? {},
    ...(f.maxTransfers == null ? {} : { maxTransfers: f.maxTransfers }),
    ...(f.graceDays ? { graceDays: f.graceDays } : {}),
    createdAt: now,
    updatedAt: now,
  };
}

/** Permisoft's key states, for support tools: never activated, activated at least once, revoked. */
export type KeyStatus = 'UNUSED' | 'ACTIVATED' | 'REVOKED';

/**
 * The key's state in that vocabulary. `firstActivation` stands in for `activatedAt` on licences
 * older than the field (their earliest machine on record).
 */
export function keyStatusOf(l: Pick<LicenseRecord, 'revoked' | 'activatedAt' | 'machinesUsed'>, firstActivation: Date | null = null): KeyStatus {
  if (l.revoked) return 'REVOKED';
  return (l.activatedAt ?? firstActivation) !== null || l.machinesUsed > 0 ? 'ACTIVATED' : 'UNUSED';
}
