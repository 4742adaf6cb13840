// What an admin's change does to a licence record: edits, revocation, reinstatement, resolving
// violations. Pure; the store applies the result in one transaction with its event.
import { conflict, invalidRequest } from './errors.js';
import type { AdminStatus, LicenseRecord, RevokeReason } from './license.js';
import { UNLIMITED, type LicenseType } from './product.js';
import { violationLevelOf, type ViolationRecord } from './violation.js';

export interface LicenseEdit {
  /** null clears it. */
  variant?: string | null | undefined;
  licenseType?: LicenseType | undefined;
  maxMachines?: number | undefined;
  maxConcurrent?: number | undefined;
  /** null removes the limit. */
  maxTransfers?: number | null | undefined;
  graceDays?: number | undefined;
  status?: AdminStatus | undefined;
  /** null: perpetual. A past time expires the licence at once. */
  expiresAt?: Date | null | undefined;
  email?: string | undefined;
  /** Replaces the whole metadata object. */
  metadata?: Record<string, unknown> | undefined;
}

/** `maxMachines` when a type change names none (see editLicense). */
function impliedMaxMachines(l: LicenseRecord, licenseType: LicenseType): number {
  if (licenseType === l.licenseType) return l.maxMachines;
  if (licenseType === 'site') return UNLIMITED;
  if (licenseType === 'per-machine' && l.licenseType === 'floating' && l.maxConcurrent !== null) return l.maxConcurrent;
  return l.maxMachines;
}

const same = (a: unknown, b: unknown): boolean =>
  a instanceof Date || b instanceof Date
    ? (a as Date | null)?.getTime() === (b as Date | null)?.getTime()
    : JSON.stringify(a) === JSON.stringify(b);

/**
 * The licence after an edit, and which of its fields changed. Switching to floating takes
 * `maxConcurrent` from the edit, else the licence, else `floatingDefault` (the product's); other
 * types have none. Switching to site without a `maxMachines` makes it unlimited, as on issue;
 * from floating to per-machine without one, its floating seats become its machines, so the
 * machines holding them keep them.
 */
export function editLicense(l: LicenseRecord, edit: LicenseEdit, now: Date, floatingDefault: number): { license: LicenseRecord; changed: string[] } {
  const licenseType = edit.licenseType ?? l.licenseType;
  if (licenseType !== 'floating' && edit.maxConcurrent !== undefined) {
    throw invalidRequest('maxConcurrent applies to floating licences only');
  }
  const next: LicenseRecord = {
    ...l,
    variant: edit.variant !== undefined ? edit.variant : l.variant,
    licenseType,
    maxMachines: edit.maxMachines ?? impliedMaxMachines(l, licenseType),
    maxConcurrent: licenseType === 'floating' ? (edit.maxConcurrent ?? l.maxConcurrent ?? floatingDefault) : null,
    adminStatus: edit.status ?? l.adminStatus,
    expiresAt: edit.expiresAt !== undefined ? edit.expiresAt : l.expiresAt,
    email: edit.email ?? l.email,
    metadata: edit.metadata ?? l.metadata,
    ...(edit.maxTransfers !== undefined ? { maxTransfers: edit.maxTransfers } : {}),
    ...(edit.graceDays !== undefined ? { graceDays: edit.graceDays } : {}),
  };
  const fields = ['variant', 'licenseType', 'maxMachines', 'maxConcurrent', 'adminStatus', 'expiresAt', 'email', 'metadata', 'maxTransfers', 'graceDays'] as const;
  const changed = fields.filter((f) => !same(l[f], next[f])).map((f) => (f === 'adminStatus' ? 'status' : f));
  return { license: changed.length > 0 ? { ...next, updatedAt: now } : l, changed };
}

/** Whether the licence was permanently deactivated (deactivateLicense). */
export const isDeactivated = (l: Pick<LicenseRecord, 'deactivatedAt'>): boolean => l.deactivatedAt != null;

/** Refuses any change to a permanently deactivated licence: nothing may bring its key back. */
export function assertChangeable(l: LicenseRecord): void {
  if (isDeactivated(l)) throw conflict('This licence was permanently deactivated: it cannot be changed, reinstated or regenerated');
}

/**
 * Permanently deactivated (the plan guide's "Deactivate license"): revoked, and marked so that
 * reinstateLicense, regenerateLicense, updateLicense and revokeLicense refuse it from then on.
 * Its activations stay on record but stop working with it.
 */
export function deactivateLicense(l: LicenseRecord, now: Date): LicenseRecord {
  return { ...l, revoked: true, revokedAt: l.revoked ? l.revokedAt : now, deactivatedAt: now, updatedAt: now };
}

/** Reasons that mean the buyer got the money back: they also mark the licence as disputed. */
const DISPUTES: readonly RevokeReason[] = ['refund', 'chargeback'];

/** Revoked for `reason`; a refund or chargeback also sets `disputeReason`. */
export function revokeLicense(l: LicenseRecord, reason: RevokeReason, now: Date): LicenseRecord {
  return {
    ...l,
    revoked: true,
    revokeReason: reason,
    revokedAt: l.revoked ? l.revokedAt : now,
    disputeReason: DISPUTES.includes(reason) ? reason : l.disputeReason,
    updatedAt: now,
  };
}

/**
 * Active again, as CG's creator tool expects of Reinstate for a suspended or a revoked licence:
 * not revoked, no longer in dispute, admin status `active`, and every violation resolved (`all`
 * of the licence's violations: they stay on record, marked resolved), so the threat level is 0.
 * The event log keeps the history. Expiry is untouched: an expired licence stays expired.
 */
export function reinstateLicense(l: LicenseRecord, all: readonly Pick<ViolationRecord, 'severity' | 'resolved'>[], now: Date): LicenseRecord {
  const cleared: LicenseRecord = { ...l, revoked: false, revokeReason: null, revokedAt: null, disputeReason: null, adminStatus: 'active' };
  return withViolations(cleared, all.map((v) => ({ ...v, resolved: true })), now);
}

/** Whether reinstating would change anything: revoked, or a threat level above 0. */
export const needsReinstating = (l: Pick<LicenseRecord, 'revoked' | 'adminStatus' | 'violationLevel' | 'unresolvedViolationsCount'>): boolean =>
  l.revoked || l.adminStatus !== 'active' || l.violationLevel > 0 || l.unresolvedViolationsCount > 0;

/** The licence's violation fields recomputed from its violations as they now stand. */
export function withViolations(l: LicenseRecord, violations: readonly Pick<ViolationRecord, 'severity' | 'resolved'>[], now: Date): LicenseRecord {
  return {
    ...l,
    violationLevel: violationLevelOf(violations),
    unresolvedViolationsCount: violations.filter((v) => !v.resolved).length,
    updatedAt: now,
  };
}

/** A chargeback the seller won: the licence it revoked is in force again (nothing else changes). */
export const disputeWon = (l: LicenseRecord, now: Date): LicenseRecord => ({ ...l, revoked: false, revokeReason: null, revokedAt: null, disputeReason: null, updatedAt: now });
