// What a provider says about a purchase's standing beyond the generic events: a chargeback the
// seller won (the licence that dispute revoked is reinstated) and a subscription that ended now
// rather than at its period's end (the licence is revoked now, reason `cancelled`). Both change
// the licence and record its event in one transaction, and a repeat changes nothing. Arriving
// before the purchase they are 404, which providers retry.
import { notFound } from '../domain/errors.js';
import type { LicenseRecord } from '../domain/license.js';
import { disputeWon, revokeLicense } from '../domain/licenseChanges.js';
import { recordLicenseEvent } from '../store/events.js';
import { transaction } from '../store/firestore.js';
import { readLicense, writeLicense } from '../store/licenses.js';
import { readPurchase } from '../store/payments.js';
import type { PurchaseRef } from './ledger.js';

async function change(ref: PurchaseRef, now: Date, apply: (l: LicenseRecord) => { next: LicenseRecord; type: 'license.reinstated' | 'license.revoked'; data: Record<string, unknown> } | null) {
  return transaction(async (tx) => {
    const purchase = await readPurchase(tx, ref.creatorId, ref.purchaseId);
    const license = purchase && (await readLicense(tx, purchase.licenseKey));
    if (!license) throw notFound('Purchase');
    const changed = apply(license);
    if (changed) {
      await writeLicense(tx, changed.next);
      await recordLicenseEvent(tx, changed.type, license, { purchaseId: ref.purchaseId, ...changed.data }, now);
    }
    return { licenseKey: license.licenseKey, changed: changed !== null };
  });
}

/** The seller won the chargeback: a licence revoked for it is in force again. */
export const reinstateAfterDispute = (ref: PurchaseRef, now: Date) =>
  change(ref, now, (l) => (l.revoked && l.revokeReason === 'chargeback' ? { next: disputeWon(l, now), type: 'license.reinstated', data: { cause: 'dispute.won' } } : null));

/** The subscription ended now (revoked, expired): so does the licence. */
export const endSubscription = (ref: PurchaseRef, now: Date) =>
  change(ref, now, (l) =>
    l.revoked ? null : { next: revokeLicense(l, 'cancelled', now), type: 'license.revoked', data: { email: l.email, reason: 'cancelled', cause: 'subscription.ended' } },
  );
