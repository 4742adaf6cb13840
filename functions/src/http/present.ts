// Records as the contract shows them: ISO 8601 times, CG's names, no internal fields.
import { transfersWithin } from '../domain/transfers.js';
import type { ActivationRecord } from '../domain/activation.js';
import type { CodeRecord } from '../domain/code.js';
import { durationDaysOf } from '../domain/duration.js';
import { DEFAULT_REMINDER_DAYS, keyStatusOf, statusAt, threatLevelOf, type LicenseRecord } from '../domain/license.js';
import { maskLicenseKey } from '../domain/licenseKey.js';
import { thresholdsOf } from '../domain/threats.js';
import type { ViolationRecord } from '../domain/violation.js';
import type { EventRecord } from '../domain/events.js';
import type { Role } from '../domain/scope.js';
import type { ApiKeyRecord } from '../store/apiKeys.js';
import type { PublishableKeyRecord } from '../store/publishableKeys.js';
import type { PayoutRecord } from '../domain/sales.js';
import type { Creator } from '../store/creators.js';
import type { InviteRecord, MemberRecord } from '../store/members.js';
import type { Product, Variant } from '../store/products.js';
import type { DeliveryRecord, WebhookRecord } from '../store/webhooks.js';

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export function presentApiKey(k: ApiKeyRecord) {
  return {
    id: k.id,
    name: k.name,
    creatorId: k.creatorId,
    prefix: k.prefix,
    createdAt: iso(k.createdAt),
    lastUsedAt: iso(k.lastUsedAt),
    revoked: k.revoked,
    /** null: every scope. */
    scopes: k.scopes ?? null,
    mode: k.mode ?? 'live',
  };
}

export function presentProduct(p: Product) {
  return {
    productId: p.productId,
    slug: p.slug,
    name: p.name,
    status: p.status,
    active: p.status !== 'archived',
    creatorId: p.creatorId,
    licenseType: p.licenseType,
    maxMachines: p.maxMachines,
    maxConcurrent: p.maxConcurrent,
    heartbeatIntervalSeconds: p.heartbeatIntervalSeconds,
    tokenTtlDays: p.tokenTtlDays,
    graceDays: p.graceDays ?? null,
    reminderDays: p.reminderDays ?? DEFAULT_REMINDER_DAYS,
    violationThresholds: thresholdsOf(p.violationThresholds),
    requirePublishableKey: p.requirePublishableKey ?? false,
    portalEnabled: p.portalEnabled ?? false,
    supportEmail: p.supportEmail ?? null,
    durationDays: durationDaysOf(p.duration),
    duration: p.duration,
    emailSubject: p.emailSubject ?? null,
    emailFromName: p.emailFromName ?? null,
    emailReplyTo: p.emailReplyTo ?? null,
    emailInstructions: p.emailInstructions ?? null,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}

export function presentVariant(v: Variant) {
  return {
    variantId: v.variantId,
    productId: v.productId,
    name: v.name,
    licenseType: v.licenseType,
    maxMachines: v.maxMachines,
    maxConcurrent: v.maxConcurrent,
    durationDays: durationDaysOf(v.duration),
    duration: v.duration,
    active: v.active,
    graceDays: v.graceDays ?? null,
    licensesEnabled: v.licensesEnabled !== false,
    createdAt: iso(v.createdAt),
    updatedAt: iso(v.updatedAt),
  };
}

/** A licence as the contract shows it (CG's `key` beside `licenseKey` is added by dialects/cg/). */
export function presentLicense(l: LicenseRecord, now: Date) {
  return {
    licenseKey: l.licenseKey,
    email: l.email,
    productId: l.productId,
    variant: l.variant,
    licenseType: l.licenseType,
    status: statusAt(l, now),
    threatLevel: threatLevelOf(l),
    maxMachines: l.maxMachines,
    maxConcurrent: l.maxConcurrent,
    machinesUsed: l.machinesUsed,
    maxTransfers: l.maxTransfers ?? null,
    graceDays: l.graceDays ?? 0,
    transfersUsed: transfersWithin(l, now).length,
    unresolvedViolationsCount: l.unresolvedViolationsCount,
    expiresAt: iso(l.expiresAt),
    purchaseId: l.purchaseId,
    purchasedAt: iso(l.purchasedAt),
    bundleId: l.bundleId,
    unlockedProducts: l.unlockedProducts,
    discountCode: l.discountCode,
    disputeReason: l.disputeReason,
    revokeReason: l.revokeReason,
    deactivated: l.deactivatedAt != null,
    deactivatedAt: iso(l.deactivatedAt ?? null),
    trial: l.trial,
    imported: l.imported ?? false,
    sandbox: l.sandbox ?? false,
    activatedAt: iso(l.activatedAt),
    keyMasked: maskLicenseKey(l.licenseKey),
    metadata: l.metadata,
    creatorId: l.creatorId,
    createdAt: iso(l.createdAt),
    updatedAt: iso(l.updatedAt),
  };
}

export function presentActivation(a: ActivationRecord) {
  return {
    activationId: a.activationId,
    fingerprint: a.fingerprint,
    hostname: a.hostname ?? '',
    firstSeen: iso(a.firstSeen),
    lastSeen: iso(a.lastSeen),
    sessionActive: a.sessionActive,
    leaseExpiresAt: iso(a.leaseExpiresAt),
    countries: a.countries ?? [],
    lastCountry: a.lastCountry ?? '',
    metadata: a.metadata ?? {},
    blocked: a.blocked === true,
    blockedAt: iso(a.blockedAt ?? null),
  };
}

export function presentViolation(v: ViolationRecord) {
  return {
    id: v.id,
    type: v.type,
    severity: v.severity,
    detectedAt: iso(v.detectedAt),
    resolved: v.resolved,
    resolvedAt: iso(v.resolvedAt),
    details: v.details,
  };
}

/** A discount or trial code as the contract shows it (maxUses -1: unlimited). */
export function presentCode(c: CodeRecord) {
  return {
    code: c.code,
    type: c.type,
    productId: c.productId,
    trialDays: c.trialDays,
    percentOff: c.percentOff,
    amountOffCents: c.amountOffCents,
    maxUses: c.maxUses,
    usedCount: c.usedCount,
    active: c.active,
    expiresAt: iso(c.expiresAt),
    creatorId: c.creatorId,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

export function presentEvent(e: EventRecord) {
  return { id: e.id, type: e.type, createdAt: iso(e.createdAt), productId: e.productId, licenseKey: e.licenseKey, data: e.data };
}

/** A webhook without its secret (only the secret's first characters). */
export function presentWebhook(w: WebhookRecord) {
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    events: w.events,
    productId: w.productId,
    status: w.status,
    format: w.format ?? 'seatkey',
    pausedReason: w.pausedReason,
    consecutiveFailures: w.consecutiveFailures,
    lastDeliveryAt: iso(w.lastDeliveryAt),
    lastStatus: w.lastStatus,
    secretPrefix: w.secret.slice(0, 10),
    previousSecretExpiresAt: iso(w.previousSecretExpiresAt ?? null),
    creatorId: w.creatorId,
    createdAt: iso(w.createdAt),
    updatedAt: iso(w.updatedAt),
  };
}

export function presentDelivery(d: DeliveryRecord) {
  return { eventId: d.eventId, event: d.event, attempt: d.attempt, status: d.status, ok: d.ok, error: d.error, durationMs: d.durationMs, at: iso(d.at) };
}

export function presentAccount(creator: Creator, role: Role) {
  return { creatorId: creator.creatorId, name: creator.name ?? creator.creatorId, keyPrefix: creator.keyPrefix, role, createdAt: iso(creator.createdAt) };
}

export function presentMember(m: MemberRecord) {
  return { uid: m.uid, email: m.email, role: m.role, joinedAt: iso(m.joinedAt) };
}

export function presentInvite(i: InviteRecord) {
  return { email: i.email, role: i.role, createdAt: iso(i.createdAt) };
}

/**
 * What support asks about a key (Permisoft's validate): its state as UNUSED / ACTIVATED /
 * REVOKED, when it was first activated, the key masked, and the product by id, slug and name.
 */
export function presentKeyFacts(l: LicenseRecord, product: Pick<Product, 'productId' | 'slug' | 'name'>, activations: readonly ActivationRecord[]) {
  const earliest = activations.reduce<Date | null>((first, a) => (first === null || a.firstSeen < first ? a.firstSeen : first), null);
  const activatedAt = l.activatedAt ?? earliest;
  return {
    status: keyStatusOf(l, earliest),
    activated: activatedAt !== null,
    activatedAt: iso(activatedAt),
    keyMasked: maskLicenseKey(l.licenseKey),
    product: { id: product.productId, slug: product.slug, name: product.name },
    sandbox: l.sandbox ?? false,
  };
}

/** A publishable key, whole: it is not a secret. */
export function presentPublishableKey(k: PublishableKeyRecord) {
  return { key: k.key, productId: k.productId, mode: k.mode, creatorId: k.creatorId, createdAt: iso(k.createdAt), revoked: k.revoked, revokedAt: iso(k.revokedAt) };
}

export function presentPayout(p: PayoutRecord) {
  return { creatorId: p.creatorId, payoutId: p.payoutId, amountCents: p.amountCents, currency: p.currency, paidAt: iso(p.paidAt), note: p.note, createdAt: iso(p.createdAt) };
}
