// purchase.refunded and purchase.disputed: the licence is revoked (threat level 4) with
// disputeReason `refund` or `chargeback`, and the money going back is recorded once per purchase
// (a dispute after a refund changes the reason, not the ledger). Arriving before the purchase,
// the event waits for it (deferred.ts).
import { revokeLicense } from '../domain/licenseChanges.js';
import { REVERSALS, type ReversalEvent } from '../domain/payment.js';
import { recordLicenseEvent } from '../store/events.js';
import { transaction } from '../store/firestore.js';
import { readLicense, writeLicense } from '../store/licenses.js';
import { deferEvent, readDeferred, readPurchase, type PendingPayment } from '../store/payments.js';
import { readSale, recordSale, saleId } from '../store/sales.js';
import { DEFAULT_CURRENCY, saleEntry } from './ledger.js';

export async function reversePurchase(event: PendingPayment & { type: ReversalEvent }, now: Date): Promise<{ licenseKey: string | null; pending: boolean }> {
  const { reason, sale } = REVERSALS[event.type];
  return transaction(async (tx) => {
    const purchase = await readPurchase(tx, event.creatorId, event.purchaseId);
    const deferred = await readDeferred(tx, event, event.type);
    if (!purchase) {
      await deferEvent(tx, event);
      return { licenseKey: null, pending: true };
    }
    const [license, done, paid] = await Promise.all([
      readLicense(tx, purchase.licenseKey),
      readSale(tx, saleId(event.creatorId, event.purchaseId, 'reversal')),
      readSale(tx, saleId(event.creatorId, event.purchaseId, 'purchase')),
    ]);
    if (license && !(license.revoked && license.revokeReason === reason && license.disputeReason === reason)) {
      await writeLicense(tx, revokeLicense(license, reason, now));
      const data = { email: license.email, purchaseId: event.purchaseId, reason, disputeReason: reason, cause: event.type };
      await recordLicenseEvent(tx, license.revoked ? 'license.updated' : 'license.revoked', license, data, now);
    }
    if (!done) {
      const money = { amountCents: event.amountCents ?? paid?.amountCents ?? 0, currency: event.currency ?? paid?.currency ?? DEFAULT_CURRENCY };
      // The fee goes back at the rate the purchase paid.
      await recordSale(tx, saleEntry(sale, 'reversal', { ...event, licenseKey: purchase.licenseKey }, money, event.receivedAt, paid?.feeBasisPoints));
    }
    if (deferred.waiting) deferred.clear();
    return { licenseKey: purchase.licenseKey, pending: false };
  });
}
