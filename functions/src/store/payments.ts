// What payment events keep beside the licence: when a subscription was cancelled (on its
// purchase record), and pendingPayments/{hash of creator, purchase and event}: a refund, dispute
// or cancellation that arrived before its purchase, written in the same transaction that found
// no purchase and applied (then deleted) when the purchase lands.
import { compoundId } from '../domain/crypto.js';
import type { DeferredEvent, PaidMoney, Period } from '../domain/payment.js';
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
  /** The provider's id of this refund or dispute (refundId, disputeId), when the event gave one. */
  reversalId?: string | null;
  receivedAt: Date;
}

const pending = async () => (await db()).collection(COLLECTIONS.pendingPayments).withConverter(converter<PendingPayment>());

/** One waiting event: per purchase and type, and per refund or dispute id when it has one. */
const pendingRef = async (e: Pick<PendingPayment, 'creatorId' | 'purchaseId' | 'type' | 'reversalId'>) =>
  (await pending()).doc(e.reversalId ? compoundId(e.creatorId, e.purchaseId, e.type, e.reversalId) : compoundId(e.creatorId, e.purchaseId, e.type));

/** Stores the event to wait for its purchase (the caller's transaction found none). */
export async function deferEvent(tx: Transaction, event: PendingPayment): Promise<void> {
  tx.set(await pendingRef(event), event);
}

/** Reads, in the caller's transaction, whether this event was waiting for its purchase. */
export async function readDeferred(tx: Transaction, event: Pick<PendingPayment, 'creatorId' | 'purchaseId' | 'type' | 'reversalId'>) {
  const ref = await pendingRef(event);
  return { waiting: (await tx.get(ref)).exists, clear: () => tx.delete(ref) };
}

/** The events waiting for this purchase, in the order they arrived. */
export async function pendingFor(creatorId: string, purchaseId: string): Promise<PendingPayment[]> {
  const snap = await (await pending()).where('creatorId', '==', creatorId).where('purchaseId', '==', purchaseId).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

/** A purchase record, with what subscription events add to it. */
export interface PaidPurchase extends PurchaseRecord {
  cancelledAt?: Date | null;
}

export async function readPurchase(tx: Transaction, creatorId: string, purchaseId: string): Promise<PaidPurchase | undefined> {
  const snap = await tx.get(await purchaseRef(creatorId, purchaseId));
  return snap.exists ? withDates<PaidPurchase>(snap.data()) : undefined;
}

/** Replaces what the purchase record keeps of its money and its latest billing period, in `tx`. */
export async function recordPaid(tx: Transaction, creatorId: string, purchaseId: string, change: { paid?: PaidMoney; lastPeriod?: Period }): Promise<void> {
  if (change.paid === undefined && change.lastPeriod === undefined) return;
  tx.update(await purchaseRef(creatorId, purchaseId), change);
}

export async function markCancelled(tx: Transaction, creatorId: string, purchaseId: string, at: Date): Promise<void> {
  tx.update(await purchaseRef(creatorId, purchaseId), { cancelledAt: at });
}
