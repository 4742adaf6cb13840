// An admin's changes to one licence. Each is one transaction that reads the licence (404 when it
// does not exist or is outside the caller's scope), writes it whole together with whatever else
// the change touches, and records its event in the same commit. Every one of them writes the
// licence document, as activation does, so a change and a concurrent activation of the same
// licence serialise: a seat freed here is free at once, and no activation slips in between.
import { activationEventData } from '../domain/activation.js';
import { conflict, notFound } from '../domain/errors.js';
import type { EventType } from '../domain/events.js';
import { assertChangeable, deactivateLicense, isDeactivated, needsReinstating, reinstateLicense, withViolations } from '../domain/licenseChanges.js';
import { threatLevelOf, type LicenseRecord } from '../domain/license.js';
import { generateLicenseKey, keyPrefixOf } from '../domain/licenseKey.js';
import { assertLicenseVisible, type Caller } from '../domain/scope.js';
import { withTransfer } from '../domain/transfers.js';
import type { QueryDocumentSnapshot } from 'firebase-admin/firestore';
import type { ViolationRecord } from '../domain/violation.js';
import { findActivation, readActivations } from './activations.js';
import { activityRef } from './activity.js';
import { recordLicenseEvent } from './events.js';
import { put, transaction, type Transaction } from './firestore.js';
import { licenseRef, purchaseRef, readLicense, writeLicense, type PurchaseRecord } from './licenses.js';
import { queueBuyerMail } from './mail.js';
import { getProduct } from './products.js';
import { readViolations, violationsCollection } from './violations.js';

export async function readVisibleLicense(tx: Transaction, caller: Caller, licenseKey: string): Promise<LicenseRecord> {
  const license = await readLicense(tx, licenseKey);
  if (!license) throw notFound('Licence');
  assertLicenseVisible(caller, license);
  return license;
}

export interface Change {
  license: LicenseRecord;
  event: EventType;
  data: Record<string, unknown>;
}

/**
 * Applies `change` to the licence and records its event. When `change` returns undefined the
 * licence is left as it was and nothing is written. Returns the licence as it now stands.
 */
export async function changeLicense(
  caller: Caller,
  licenseKey: string,
  now: Date,
  change: (current: LicenseRecord) => Change | undefined | Promise<Change | undefined>,
): Promise<LicenseRecord> {
  return transaction(async (tx) => {
    const current = await readVisibleLicense(tx, caller, licenseKey);
    assertChangeable(current);
    const next = await change(current);
    if (!next) return current;
    await writeLicense(tx, next.license);
    await recordLicenseEvent(tx, next.event, next.license, next.data, now);
    return next.license;
  });
}

/**
 * Deletes one activation; a seat it held (`sessionActive`) is freed in the same commit, and counts
 * as a transfer (429 `transfer_limit` past the licence's maxTransfers). With `block` the record
 * stays, holding no seat and marked blocked, so the device is refused until unblockDevice; a
 * block is a security measure and never counts as a transfer.
 */
export async function removeActivation(caller: Caller, licenseKey: string, activationId: string, now: Date, block = false): Promise<LicenseRecord> {
  return transaction(async (tx) => {
    const license = await readVisibleLicense(tx, caller, licenseKey);
    const found = await findActivation(tx, licenseKey, activationId);
    if (!found) throw notFound('Activation');
    const activation = found.data();
    if (activation.blocked && !block) throw conflict('This device is blocked: unblock it with unblockDevice');
    const freed = activation.sessionActive ? 1 : 0;
    const next: LicenseRecord = {
      ...(freed && !block ? withTransfer(license, now) : license),
      machinesUsed: Math.max(0, license.machinesUsed - freed),
      updatedAt: now,
    };
    if (block) put(tx, found.ref, { ...activation, sessionActive: false, leaseExpiresAt: null, blocked: true, blockedAt: activation.blockedAt ?? now });
    else tx.delete(found.ref);
    await writeLicense(tx, next);
    await recordLicenseEvent(tx, 'activation.removed', next, { ...activationEventData(activation), reason: block ? 'blocked' : 'removed' }, now);
    return next;
  });
}

/** Forgets a blocked device (named by its activation id), so it may activate again. */
export async function unblockDevice(caller: Caller, licenseKey: string, activationId: string, now: Date): Promise<LicenseRecord> {
  return transaction(async (tx) => {
    const license = await readVisibleLicense(tx, caller, licenseKey);
    const found = await findActivation(tx, licenseKey, activationId);
    if (!found?.data().blocked) throw notFound('Blocked device');
    const next = { ...license, updatedAt: now };
    tx.delete(found.ref);
    await writeLicense(tx, next);
    await recordLicenseEvent(tx, 'license.updated', next, { change: 'device_unblocked', activationId, fingerprint: found.data().fingerprint }, now);
    return next;
  });
}

/**
 * Deactivates the licence permanently (domain/licenseChanges.ts) with its `license.revoked` event
 * (data: permanent). Deactivating it again changes nothing.
 */
export async function deactivatePermanently(caller: Caller, licenseKey: string, now: Date, describe: (after: LicenseRecord) => Record<string, unknown>): Promise<LicenseRecord> {
  return transaction(async (tx) => {
    const license = await readVisibleLicense(tx, caller, licenseKey);
    if (isDeactivated(license)) return license;
    const next = deactivateLicense(license, now);
    await writeLicense(tx, next);
    await recordLicenseEvent(tx, 'license.revoked', next, { permanent: true, ...describe(next) }, now);
    return next;
  });
}

/**
 * Deletes every activation (one activation.removed event each); no seat is held afterwards.
 * Blocked devices stay blocked: a reset is not an unblock.
 */
export async function resetActivations(caller: Caller, licenseKey: string, now: Date): Promise<number> {
  return transaction(async (tx) => {
    const license = await readVisibleLicense(tx, caller, licenseKey);
    const activations = (await readActivations(tx, licenseKey)).filter((a) => !a.data().blocked);
    const next: LicenseRecord = { ...license, machinesUsed: 0, updatedAt: now };
    for (const snap of activations) {
      tx.delete(snap.ref);
      await recordLicenseEvent(tx, 'activation.removed', next, { ...activationEventData(snap.data()), reason: 'reset' }, now);
    }
    await writeLicense(tx, next);
    return activations.length;
  });
}

/** Marks the unresolved ones among `snaps` that `wanted` names resolved, in `tx`; returns their ids. */
function markResolved(tx: Transaction, snaps: readonly QueryDocumentSnapshot<ViolationRecord>[], wanted: (id: string) => boolean, now: Date): string[] {
  const resolving = snaps.filter((s) => wanted(s.data().id) && !s.data().resolved);
  for (const snap of resolving) tx.update(snap.ref, { resolved: true, resolvedAt: now });
  return resolving.map((s) => s.data().id);
}

/**
 * Marks the given violations (all when `ids` is undefined) resolved and recomputes the licence's
 * violation level, unresolved count and so its threat level from all of its violations.
 * An id the licence does not have is a 404.
 */
export async function resolveViolations(caller: Caller, licenseKey: string, ids: readonly string[] | undefined, now: Date): Promise<LicenseRecord> {
  return transaction(async (tx) => {
    const license = await readVisibleLicense(tx, caller, licenseKey);
    const snaps = await readViolations(tx, licenseKey);
    const known = new Set(snaps.map((s) => s.data().id));
    const missing = ids?.find((id) => !known.has(id));
    if (missing !== undefined) throw notFound(`Violation ${missing}`);
    const wanted = ids === undefined ? known : new Set(ids);
    const resolvedIds = new Set(markResolved(tx, snaps, (id) => wanted.has(id), now));
    const after = snaps.map((s) => ({ ...s.data(), resolved: s.data().resolved || resolvedIds.has(s.data().id) }));
    const next = withViolations(license, after, now);
    await writeLicense(tx, next);
    await recordLicenseEvent(tx, 'license.updated', next, { change: 'violations_resolved', violationIds: [...resolvedIds], threatLevel: threatLevelOf(next) }, now);
    return next;
  });
}

/**
 * Makes a suspended, degraded or revoked licence active (domain/licenseChanges.ts) and resolves
 * its violations, in one transaction with its `license.reinstated` event, whose data `describe`
 * gives (the licence before and after, the violations resolved). An active licence with nothing
 * to clear is left alone and records nothing.
 */
export async function reinstate(
  caller: Caller,
  licenseKey: string,
  now: Date,
  describe: (before: LicenseRecord, after: LicenseRecord, resolvedViolationIds: string[]) => Record<string, unknown>,
): Promise<LicenseRecord> {
  return transaction(async (tx) => {
    const license = await readVisibleLicense(tx, caller, licenseKey);
    assertChangeable(license);
    if (!needsReinstating(license)) return license;
    const snaps = await readViolations(tx, licenseKey);
    const resolvedIds = markResolved(tx, snaps, () => true, now);
    const next = reinstateLicense(license, snaps.map((s) => s.data()), now);
    await writeLicense(tx, next);
    await recordLicenseEvent(tx, 'license.reinstated', next, describe(license, next, resolvedIds), now);
    return next;
  });
}

/**
 * Moves the licence to a new key from the same creator prefix in one commit: the old licence
 * document and its activations are deleted (the old key is unknown from then on and every
 * machine must activate again with the new one), its violations move to the new key, and the
 * purchase record points at the new key, so nothing that can look a licence up still holds
 * the old one. The event log keeps the old key as history. With `notify` the buyer is emailed the
 * new key in the same commit.
 */
export async function regenerateLicense(caller: Caller, licenseKey: string, now: Date, notify: boolean): Promise<LicenseRecord> {
  return transaction(async (tx) => {
    const old = await readVisibleLicense(tx, caller, licenseKey);
    assertChangeable(old);
    const [activations, violations] = await Promise.all([readActivations(tx, licenseKey), readViolations(tx, licenseKey)]);
    const purchase = old.purchaseId === null ? undefined : await purchaseRef(old.creatorId, old.purchaseId);
    const purchaseKey = purchase && ((await tx.get(purchase)).data() as PurchaseRecord | undefined)?.licenseKey;
    let newKey: string;
    do newKey = generateLicenseKey(keyPrefixOf(licenseKey));
    while ((await tx.get(await licenseRef(newKey))).exists);

    const license: LicenseRecord = { ...old, licenseKey: newKey, machinesUsed: 0, updatedAt: now };
    await writeLicense(tx, license);
    tx.delete(await licenseRef(licenseKey));
    for (const snap of activations) tx.delete(snap.ref);
    // The threat detectors' record of the old key's activations goes with them.
    tx.delete(await activityRef(licenseKey));
    const moved = await violationsCollection(newKey);
    for (const snap of violations) {
      put(tx, moved.doc(snap.id), snap.data());
      tx.delete(snap.ref);
    }
    if (purchase && purchaseKey === licenseKey) tx.update(purchase, { licenseKey: newKey });
    const product = notify ? await getProduct(old.productId) : undefined;
    if (product) await queueBuyerMail(tx, license, product, 'regenerated', now);
    await recordLicenseEvent(tx, 'license.regenerated', license, { previousLicenseKey: licenseKey, removedActivations: activations.length, buyerNotified: product !== undefined }, now);
    return license;
  });
}
