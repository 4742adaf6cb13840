// What a provider says about a purchase's standing beyond the generic events: a chargeback the
// seller won (the licence that dispute revoked is reinstated, and the chargeback's money comes
// back in the ledger as `chargeback_won`, once) and a subscription that ended now
// rather than at its period's end (the licence is revoked now, reason `cancelled`). Both change
// the licence and record its event in one transaction, and a repeat changes nothing. Arriving
// before the purchase they are 404, which providers retry.
import { notFound } from '../domain/errors.js';
import type { LicenseRecord } from '../domain/license.js';
import { disputeWon, revokeLicense } from '../domain/licenseChanges.js';
import { recordLicenseEvent } from '../store/events.js';
import { transaction, type Transaction } from '../store/firestore.js';
import { readLicense, writeLicense } from '../store/licenses.js';
import { readPurchase, recordPaid, type PaidPurchase } from '../store/payments.js';
import { readSalesOfPurchase, recordSale, saleId } from '../store/sales.js';
import { saleEntry, type PurchaseRef } from './ledger.js';

type Change = { next: LicenseRecord; type: 'license.reinstated' | 'license.revoked'; data: Record<string, unknown> } | null;

async function change(ref: PurchaseRef, now: Date, apply: (l: LicenseRecord) => Change, alongside?: (tx: Transaction, purchase: PaidPurchase) => Promise<void>) {
  return transaction(async (tx) => {
    const purchase = await readPurchase(tx, ref.creatorId, ref.purchaseId);
    const license = purchase && (await readLicense(tx, purchase.licenseKey));
    if (!license) throw notFound('Purchase');
    const changed = apply(license);
    // Reads before writes: whatever else changes is decided first.
    await alongside?.(tx, purchase);
    if (changed) {
      await writeLicense(tx, changed.next);
      await recordLicenseEvent(tx, changed.type, license, { purchaseId: ref.purchaseId, ...changed.data }, now);
    }
    return { licenseKey: license.licenseKey, changed: changed !== null };
  });
}

/** The seller won the chargeback: a licence revoked for it is in force again, and its money is back. */
export const reinstateAfterDispute = (ref: PurchaseRef, disputeId: string | null, now: Date) =>
  change(
    ref,
    now,
    (l) => (l.revoked && l.revokeReason === 'chargeback' ? { next: disputeWon(l, now), type: 'license.reinstated', data: { cause: 'dispute.won', disputeId } } : null),
    async (tx, purchase) => {
      // The dispute's chargeback (Paddle's reversal names only itself: then every chargeback), once each.
      const entries = await readSalesOfPurchase(tx, ref.creatorId, ref.purchaseId);
      const chargebacks = entries.filter((e) => e.kind === 'chargeback');
      const named = disputeId === null ? [] : chargebacks.filter((e) => e.id === saleId(ref.creatorId, ref.purchaseId, `chargeback:${disputeId}`));
      const owed = (named.length > 0 ? named : chargebacks).filter((cb) => !entries.some((e) => e.id === saleId(ref.creatorId, ref.purchaseId, `chargeback_won:${cb.id}`)));
      let refunded = purchase.paid?.refundedCents ?? 0;
      for (const cb of owed) {
        const money = { amountCents: cb.amountCents, currency: cb.currency };
        await recordSale(tx, saleEntry('chargeback_won', `chargeback_won:${cb.id}`, { ...ref, productId: purchase.productId, licenseKey: purchase.licenseKey }, money, now, 0));
        refunded = Math.max(0, refunded - cb.amountCents);
      }
      if (purchase.paid && owed.length > 0) await recordPaid(tx, ref.creatorId, ref.purchaseId, { paid: { ...purchase.paid, refundedCents: refunded } });
    },
  );

/** The subscription ended now (revoked, expired): so does the licence. */
export const endSubscription = (ref: PurchaseRef, now: Date) =>
  change(ref, now, (l) =>
    l.revoked ? null : { next: revokeLicense(l, 'cancelled', now), type: 'license.revoked', data: { email: l.email, reason: 'cancelled', cause: 'subscription.ended' } },
  );
