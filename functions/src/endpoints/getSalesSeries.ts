// getSalesSeries: daily units and gross for a range of UTC days (both included, at most a year),
// one series per product and currency, every day present: what the console's sales chart draws.
// Reads the day buckets of the running totals, a bounded number of reads however many sales.
import { MAX_SERIES_DAYS, dailySeries, dayOf, daysBetween, daysCovering } from '../domain/sales.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, dateRange, slug } from '../http/fields.js';
import { readTotals } from '../store/sales.js';
import { visibleProduct } from '../licensing/lookup.js';

export default adminEndpoint({
  get: true,
  schema: dateRange(MAX_SERIES_DAYS, daysBetween, { productId: slug().optional(), creatorId: creatorId().optional() }),
  handle: async (input, { caller }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    if (input.productId !== undefined) await visibleProduct(caller, input.productId, owner);
    const days = daysCovering(input.from, input.to);
    const buckets = await readTotals({ creatorId: owner, productId: input.productId, keys: days.map((d) => `d:${d}`) });
    return { from: dayOf(input.from), to: dayOf(input.to), days, series: dailySeries(days, buckets) };
  },
});
