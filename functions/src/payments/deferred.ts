// Refunds, disputes and cancellations can arrive before the purchase they are about (providers
// deliver out of order). Their handlers then store them (store/payments.ts) in the same
// transaction that found no purchase, and the purchase applies them once its licence exists.
// Because that transaction read the purchase record and the purchase's batch creates it, the two
// are serialised: either the handler saw the purchase, or the purchase sees what it stored.
import { DEFERRED_EVENTS, type DeferredEvent } from '../domain/payment.js';
import { pendingFor, pendingRef, type PendingPayment } from '../store/payments.js';
import type { Transaction } from '../store/firestore.js';
import { cancelSubscription } from './cancellation.js';
import type { PurchaseRef } from './ledger.js';
import { reversePurchase } from './reversal.js';

/** Stores the event to wait for its purchase (the caller's transaction found none). */
export async function deferEvent(tx: Transaction, event: PendingPayment): Promise<void> {
  tx.set(await pendingRef(event.creatorId, event.purchaseId, event.type), event);
}

/** Reads, in the caller's transaction, whether this event was waiting for its purchase. */
export async function readDeferred(tx: Transaction, purchase: PurchaseRef, type: DeferredEvent) {
  const ref = await pendingRef(purchase.creatorId, purchase.purchaseId, type);
  return { waiting: (await tx.get(ref)).exists, clear: () => tx.delete(ref) };
}

/** Applies whatever waited for this purchase, in arrival order; returns how many. */
export async function applyDeferredEvents(purchase: PurchaseRef, now: Date): Promise<number> {
  const waiting = await pendingFor(purchase.creatorId, purchase.purchaseId, DEFERRED_EVENTS);
  for (const event of waiting) {
    if (event.type === 'subscription.cancelled') await cancelSubscription(event, now);
    else await reversePurchase({ ...event, type: event.type }, now);
  }
  return waiting.length;
}
