// subscription.cancelled: recorded on the purchase and in the event log (license.updated with
// cause subscription.cancelled); the licence itself runs to its expiry. Arriving before the
// purchase, the event waits for it (deferred.ts).
import { recordLicenseEvent } from '../store/events.js';
import { transaction } from '../store/firestore.js';
import { readLicense } from '../store/licenses.js';
import { deferEvent, markCancelled, readDeferred, readPurchase, type PendingPayment } from '../store/payments.js';

export async function cancelSubscription(event: PendingPayment, now: Date): Promise<{ licenseKey: string | null; pending: boolean; expiresAt: Date | null }> {
  return transaction(async (tx) => {
    const purchase = await readPurchase(tx, event.creatorId, event.purchaseId);
    const deferred = await readDeferred(tx, event);
    if (!purchase) {
      await deferEvent(tx, event);
      return { licenseKey: null, pending: true, expiresAt: null };
    }
    const license = await readLicense(tx, purchase.licenseKey);
    if (!purchase.cancelledAt) {
      await markCancelled(tx, event.creatorId, event.purchaseId, event.receivedAt);
      if (license) {
        const data = { purchaseId: event.purchaseId, cause: 'subscription.cancelled', cancelledAt: event.receivedAt.toISOString(), expiresAt: license.expiresAt?.toISOString() ?? null };
        await recordLicenseEvent(tx, 'license.updated', license, data, now);
      }
    }
    if (deferred.waiting) deferred.clear();
    return { licenseKey: purchase.licenseKey, pending: false, expiresAt: license?.expiresAt ?? null };
  });
}
