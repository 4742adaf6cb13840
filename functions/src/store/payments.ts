// What payment events keep beside the licence: when a subscription was cancelled (on its
// purchase record), and pendingPayments/{hash of creator, purchase and event}: a refund, dispute
// or cancellation that arrived before its purchase, written in the same transaction that found
// no purchase and applied (then deleted) when the purchase lands.
import { compoundId } from '../domain/crypto.js';
import type { DeferredEvent } from '../domain/payment.js';
import { COLLECTIONS } from './collections.js';
import { converter, db, withDates, type Transaction } from './firestore.js';
import { purchaseRef, type PurchaseRecord } from './licenses.js';

export interface PendingPayment {
  type: DeferredEvent;
  creatorId: string;
  productId: string;
  purchaseId: string;
  /** As the event gave them; null when it did not. */
  amountCents: number | null;
  currency: string | null;
  receivedAt: Date;
}

const pending = async () => (await db()).collection(COLLECTIONS.pendingPayments).withConverter(converter<PendingPayment>());

export const pendingRef = async (creatorId: string, purchaseId: string, type: DeferredEvent) =>
  (await pending()).doc(compoundId(creatorId, purchaseId, type));

/** Stores the event to wait for its purchase (the caller's transaction found none). */
export async function deferEvent(tx: Transaction, event: PendingPayment): Promise<void> {
  tx.set(await pendingRef(event.creatorId, event.purchaseId, event.type), event);
}

/** Reads, in the caller's transaction, whether this event was waiting for its purchase. */
export async function readDeferred(tx: Transaction, purchase: { creatorId: string; purchaseId: string }, type: DeferredEvent) {
  const ref = await pendingRef(purchase.creatorId, purchase.purchaseId, type);
  return { waiting: (await tx.get(ref)).exists, clear: () => tx.delete(ref) };
}

/** The events waiting for this purchase, in the order they arrived. */
export async function pendingFor(creatorId: string, purchaseId: string, types: readonly DeferredEvent[]): Promise<PendingPayment[]> {
  const refs = await Promise.all(types.map((t) => pendingRef(creatorId, purchaseId, t)));
  const snaps = await (await db()).getAll(...refs);
  return snaps
    .flatMap((s) => s.data() ?? [])
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

/** A purchase record, with what subscription events add to it. */
export interface PaidPurchase extends PurchaseRecord {
  cancelledAt?: Date | null;
}

export async function readPurchase(tx: Transaction, creatorId: string, purchaseId: string): Promise<PaidPurchase | undefined> {
  const snap = await tx.get(await purchaseRef(creatorId, purchaseId));
  return snap.exists ? withDates<PaidPurchase>(snap.data()) : undefined;
}

export async function markCancelled(tx: Transaction, creatorId: string, purchaseId: string, at: Date): Promise<void> {
  tx.update(await purchaseRef(creatorId, purchaseId), { cancelledAt: at });
}
