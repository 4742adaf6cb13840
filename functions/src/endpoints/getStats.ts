// getStats: sales for a range of UTC days (both included) and optionally one product, from the
// running totals: a bounded number of reads however many sales the range holds. Money is never
// converted between currencies: `byCurrency` is exact, and the top-level sums name their
// `currency` only when there is one.
import { z } from 'zod';
import { MAX_RANGE_DAYS, bucketsCovering, dayOf, daysBetween, summarize } from '../domain/sales.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, isoDate, slug } from '../http/fields.js';
import { currentFeeBasisPoints } from '../payments/ledger.js';
import { countActiveMachines } from '../store/licenses.js';
import { readTotals } from '../store/sales.js';
import { visibleProduct } from '../licensing/lookup.js';

const dates = (v: { from: unknown; to: unknown }) => v.from instanceof Date && v.to instanceof Date;

export default adminEndpoint({
  get: true,
  schema: z
    .object({ from: isoDate(), to: isoDate(), productId: slug().optional(), creatorId: creatorId().optional() })
    // zod runs these even when a field failed, so they check that both dates parsed.
    .refine((v) => !dates(v) || v.from.getTime() <= v.to.getTime(), { message: 'must not be after to', path: ['from'] })
    .refine((v) => !dates(v) || daysBetween(v.from, v.to) <= MAX_RANGE_DAYS, { message: `the range may span at most ${MAX_RANGE_DAYS} days`, path: ['to'] }),
  handle: async (input, { caller, now }) => {
    const owner = actingCreator(caller, input.creatorId);
    if (input.productId !== undefined) await visibleProduct(caller, input.productId, owner);
    const scope = { creatorId: owner, productId: input.productId };
    const [buckets, activeMachines] = await Promise.all([
      readTotals({ ...scope, keys: bucketsCovering(input.from, input.to) }),
      countActiveMachines(scope, now),
    ]);
    const { totals, currency, byCurrency, byProduct } = summarize(buckets);
    return {
      from: dayOf(input.from),
      to: dayOf(input.to),
      productId: input.productId ?? null,
      platformFeePercent: currentFeeBasisPoints() / 100,
      currency,
      totals: { ...totals, activeMachines },
      byCurrency,
      byProduct,
    };
  },
});
