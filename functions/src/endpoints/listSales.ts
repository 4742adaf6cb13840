// listSales: the individual sales behind getStats (Permisoft's `sales`): each ledger entry with
// its order id, gross, platform fee, net, currency, time and licence, newest first, for a range
// of UTC days (both included) and optionally one product, a page at a time. Refunds and
// chargebacks appear as entries of their own with the money going back (negative).
import { z } from 'zod';
import { MAX_RANGE_DAYS, SALE_KINDS, daysBetween, saleLine } from '../domain/sales.js';
import { invalidRequest } from '../domain/errors.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, dateRange, int, slug } from '../http/fields.js';
import { iso } from '../http/present.js';
import { visibleProduct } from '../licensing/lookup.js';
import { listSalePage } from '../store/sales.js';
import { count, time } from '../http/replies.js';

const DAY_MS = 86_400_000;
const startOfDay = (d: Date): number => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

export default adminEndpoint({
  response: z.looseObject({
    sales: z.array(
      z.looseObject({
        id: z.string(),
        kind: z.enum(SALE_KINDS),
        orderId: z.string().meta({ description: 'The purchase id' }),
        productId: z.string(),
        licenseKey: z.string().nullable().meta({ description: 'null: a plan that issues no licence' }),
        grossCents: count().meta({ description: 'Negative on a refund or chargeback' }),
        feeCents: count(),
        netCents: count(),
        currency: z.string(),
        occurredAt: time(),
        creatorId: z.string(),
      }),
    ),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
    kinds: z.array(z.enum(SALE_KINDS)).meta({ description: 'Every kind an entry may have' }),
  }),
  example: {
    request: { from: '2026-11-01', to: '2026-11-30', productId: 'photo-app' },
    response: {
      success: true,
      sales: [{ id: 'sale_order-1042', kind: 'purchase', orderId: 'order-1042', productId: 'photo-app', licenseKey: 'ACME-7K2M-9QXP-4TRB-W8', grossCents: 4900, feeCents: 0, netCents: 4900, currency: 'USD', occurredAt: '2026-11-30T09:00:00.000Z', creatorId: 'acme-studio' }],
      nextCursor: null,
      kinds: ['purchase', 'renewal', 'refund', 'chargeback', 'chargeback_won'],
    },
  },
  get: true,
  schema: dateRange(MAX_RANGE_DAYS, daysBetween, {
    productId: slug().optional(),
    creatorId: creatorId().optional(),
    limit: int(1, 500).default(50),
    cursor: z.string().min(1).max(500).optional(),
  }),
  handle: async (input, { caller }) => {
    const owner = actingCreator(caller, input.creatorId);
    // The ledger is listed per creator or per product (firestore.indexes.json keeps no
    // collection-wide index on its timestamp), so the super admin names one.
    if (owner === undefined && input.productId === undefined) throw invalidRequest('Invalid request: creatorId (or productId) is required with adminSecret');
    if (input.productId !== undefined) await visibleProduct(caller, input.productId, owner);
    const page = await listSalePage(
      { creatorId: owner, productId: input.productId, from: new Date(startOfDay(input.from)), until: new Date(startOfDay(input.to) + DAY_MS) },
      input.limit,
      input.cursor,
    );
    return {
      sales: page.sales.map((s) => ({
        id: s.id,
        kind: s.kind,
        orderId: s.purchaseId,
        productId: s.productId,
        licenseKey: s.licenseKey,
        ...saleLine(s),
        currency: s.currency,
        occurredAt: iso(s.occurredAt),
        creatorId: s.creatorId,
      })),
      nextCursor: page.nextCursor,
      kinds: SALE_KINDS,
    };
  },
});
