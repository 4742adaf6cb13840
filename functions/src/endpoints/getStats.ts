// getStats: sales for a range of UTC days (both included) and optionally one product, from the
// running totals: a bounded number of reads however many sales the range holds. Money is never
// converted between currencies: `byCurrency` is exact, and the top-level sums name their
// `currency` only when there is one. `pendingPayoutCents` is per currency and for the whole
// creator (all time, whatever the range or product): its net not yet paid out (recordPayout).
import { MAX_RANGE_DAYS, bucketsCovering, dayOf, daysBetween, pendingPayouts, summarize } from '../domain/sales.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, dateRange, slug } from '../http/fields.js';
import { currentFeeBasisPoints } from '../payments/ledger.js';
import { countActiveMachines } from '../store/licenses.js';
import { listPayouts } from '../store/payouts.js';
import { readAllTimeTotals, readTotals } from '../store/sales.js';
import { visibleProduct } from '../licensing/lookup.js';
import { statsReply } from '../http/replies.js';

export default adminEndpoint({
  response: statsReply,
  get: true,
  schema: dateRange(MAX_RANGE_DAYS, daysBetween, { productId: slug().optional(), creatorId: creatorId().optional() }),
  handle: async (input, { caller, now }) => {
    const owner = actingCreator(caller, input.creatorId);
    if (input.productId !== undefined) await visibleProduct(caller, input.productId, owner);
    const scope = { creatorId: owner, productId: input.productId };
    const [buckets, activeMachines, allTime, payouts] = await Promise.all([
      readTotals({ ...scope, keys: bucketsCovering(input.from, input.to) }),
      countActiveMachines(scope, now),
      readAllTimeTotals(owner),
      listPayouts(owner),
    ]);
    const { totals, currency, byCurrency, byProduct } = summarize(buckets);
    const pendingPayoutCents = pendingPayouts(summarize(allTime).byCurrency, payouts);
    return {
      from: dayOf(input.from),
      to: dayOf(input.to),
      productId: input.productId ?? null,
      platformFeePercent: currentFeeBasisPoints() / 100,
      currency,
      totals: { ...totals, activeMachines },
      byCurrency,
      byProduct,
      pendingPayoutCents,
    };
  },
});
