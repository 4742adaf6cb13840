// payouts/{hash of creator and payout id}: what the platform paid out to creators. Recorded once
// per payout id (a create), so a repeated recordPayout never counts a payout twice.
import { compoundId } from '../domain/crypto.js';
import type { PayoutRecord } from '../domain/sales.js';
import { COLLECTIONS } from './collections.js';
import { converter, db, isAlreadyExists } from './firestore.js';

const payouts = async () => (await db()).collection(COLLECTIONS.payouts).withConverter(converter<PayoutRecord>());

/** Records the payout, or returns the one already recorded under its id (`created: false`). */
export async function recordPayoutOnce(payout: PayoutRecord): Promise<{ payout: PayoutRecord; created: boolean }> {
  const ref = (await payouts()).doc(compoundId(payout.creatorId, payout.payoutId));
  try {
    await ref.create(payout);
    return { payout, created: true };
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    const first = (await ref.get()).data();
    if (!first) throw e;
    return { payout: first, created: false };
  }
}

/** Every payout to one creator (or, undefined, to everyone). */
export async function listPayouts(creatorId: string | undefined): Promise<PayoutRecord[]> {
  const col = await payouts();
  const snap = await (creatorId === undefined ? col : col.where('creatorId', '==', creatorId)).get();
  return snap.docs.map((d) => d.data());
}
