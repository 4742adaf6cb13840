// Refunds, disputes and cancellations can arrive before the purchase they are about (providers
// deliver out of order). Their handlers then store them (store/payments.ts) in the same
// transaction that found no purchase, and the purchase applies them once its licence exists.
// Because that transaction read the purchase record and the purchase's batch creates it, the two
// are serialised: either the handler saw the purchase, or the purchase sees what it stored.
// The deferral primitives (deferEvent, readDeferred) are the purchase store's, so the handlers
// below need nothing from this file and nothing imports in a circle.
import { pendingFor } from '../store/payments.js';
import { cancelSubscription } from './cancellation.js';
import type { PurchaseRef } from './ledger.js';
import { reversePurchase } from './reversal.js';

/** Applies whatever waited for this purchase, in arrival order; returns how many. */
export async function applyDeferredEvents(purchase: PurchaseRef, now: Date): Promise<number> {
  const waiting = await pendingFor(purchase.creatorId, purchase.purchaseId);
  for (const event of waiting) {
    // A provider's refund may not have known the product: the purchase says which it was.
    const known = { ...event, productId: purchase.productId };
    if (known.type === 'subscription.cancelled') await cancelSubscription(known, now);
    // Already answered 200: a refund beyond what was paid gives back what is left (reversalAmount).
    else await reversePurchase({ ...known, type: known.type }, now, true);
  }
  return waiting.length;
}
