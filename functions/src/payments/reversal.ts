// purchase.refunded and purchase.disputed: the licence is revoked (threat level 4) with
// disputeReason `refund` or `chargeback`, and the money going back is recorded once per refund:
// per `refundId` / `disputeId` when the event gives one (partial refunds add up, to at most what
// was paid), else once per purchase (a dispute after a refund then changes the reason, not the
// ledger). The money must be in the purchase's currency and no more than is left of it (else 400
// naming the field, and nothing written); the platform keeps its fee. A purchase issued outside
// paymentWebhook (createLicense with a purchaseId) has no sale to give back: its licence is
// revoked and the ledger left alone. Arriving before the purchase, the event waits for it.
import { revokeLicense } from '../domain/licenseChanges.js';
import { REVERSALS, reversalAmount, type PaidMoney, type ReversalEvent } from '../domain/payment.js';
import type { SaleRecord } from '../domain/sales.js';
import { recordLicenseEvent } from '../store/events.js';
import { transaction } from '../store/firestore.js';
import { readLicense, writeLicense } from '../store/licenses.js';
import { deferEvent, readDeferred, readPurchase, recordPaid, type PendingPayment } from '../store/payments.js';
import { readSale, recordSale, saleId } from '../store/sales.js';
import { saleEntry } from './ledger.js';

/** What a purchase recorded before purchase records kept their money: its sale, less its one reversal. */
const paidFromLedger = (sale: SaleRecord | undefined, reversal: SaleRecord | undefined): PaidMoney | undefined =>
  sale && { currency: sale.currency, paidCents: sale.amountCents, refundedCents: reversal?.amountCents ?? 0 };

/**
 * Applies a refund or dispute. `late`: the event waited for its purchase and was answered 200
 * long ago, so money beyond what is left is cut to it rather than refused.
 */
export async function reversePurchase(event: PendingPayment & { type: ReversalEvent }, now: Date, late = false): Promise<{ licenseKey: string | null; pending: boolean }> {
  const { reason, sale } = REVERSALS[event.type];
  const entry = event.reversalId ? `${sale}:${event.reversalId}` : 'reversal';
  return transaction(async (tx) => {
    const purchase = await readPurchase(tx, event.creatorId, event.purchaseId);
    const deferred = await readDeferred(tx, event);
    if (!purchase) {
      await deferEvent(tx, event);
      return { licenseKey: null, pending: true };
    }
    const [license, done, paidSale, oldReversal] = await Promise.all([
      readLicense(tx, purchase.licenseKey),
      readSale(tx, saleId(event.creatorId, event.purchaseId, entry)),
      purchase.paid ? undefined : readSale(tx, saleId(event.creatorId, event.purchaseId, 'purchase')),
      purchase.paid ? undefined : readSale(tx, saleId(event.creatorId, event.purchaseId, 'reversal')),
    ]);
    const paid = purchase.paid ?? paidFromLedger(paidSale, oldReversal);
    // Decided before anything is written: a refusal leaves everything as it was.
    const amount = !done && paid ? reversalAmount(paid, event, late) : undefined;
    if (license && !(license.revoked && license.revokeReason === reason && license.disputeReason === reason)) {
      await writeLicense(tx, revokeLicense(license, reason, now));
      const data = { email: license.email, purchaseId: event.purchaseId, reason, disputeReason: reason, cause: event.type };
      await recordLicenseEvent(tx, license.revoked ? 'license.updated' : 'license.revoked', license, data, now);
    }
    // Once per entry, and never a second empty one once everything was given back.
    if (paid && amount !== undefined && (amount > 0 || paid.refundedCents === 0)) {
      const money = { amountCents: amount, currency: paid.currency };
      await recordSale(tx, saleEntry(sale, entry, { ...event, licenseKey: purchase.licenseKey }, money, event.receivedAt, 0));
      await recordPaid(tx, event.creatorId, event.purchaseId, { paid: { ...paid, refundedCents: paid.refundedCents + amount } });
    }
    if (deferred.waiting) deferred.clear();
    return { licenseKey: purchase.licenseKey, pending: false };
  });
}
