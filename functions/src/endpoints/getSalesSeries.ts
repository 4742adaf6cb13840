// getSalesSeries: daily units and gross for a range of UTC days (both included, at most a year),
// one series per product and currency, every day present: what the console's sales chart draws.
// Reads the day buckets of the running totals, a bounded number of reads however many sales.
import { z } from 'zod';
import { MAX_SERIES_DAYS, dailySeries, dayOf, daysBetween, daysCovering } from '../domain/sales.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, dateRange, slug } from '../http/fields.js';
import { readTotals } from '../store/sales.js';
import { visibleProduct } from '../licensing/lookup.js';
import { count } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({
    from: z.iso.date(),
    to: z.iso.date(),
    days: z.array(z.iso.date()).meta({ description: 'Every UTC day of the range, oldest first' }),
    series: z.array(
      z.looseObject({
        productId: z.string(),
        currency: z.string(),
        points: z.array(z.looseObject({ date: z.iso.date(), unitsSold: count(), grossCents: count(), refundedCents: count() })).meta({ description: 'One per day of `days`, in its order' }),
      }),
    ).meta({ description: 'One per product and currency that sold in the range' }),
  }),
  example: {
    request: { from: '2026-11-29', to: '2026-11-30' },
    response: {
      success: true,
      from: '2026-11-29',
      to: '2026-11-30',
      days: ['2026-11-29', '2026-11-30'],
      series: [{ productId: 'photo-app', currency: 'USD', points: [{ date: '2026-11-29', unitsSold: 0, grossCents: 0, refundedCents: 0 }, { date: '2026-11-30', unitsSold: 2, grossCents: 9800, refundedCents: 0 }] }],
    },
  },
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
