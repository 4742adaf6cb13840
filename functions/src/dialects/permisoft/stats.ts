// Permisoft `GET /api/v1/publisher/stats?from&to&productId` (Bearer ps_live_…, scope stats:read):
// the publisher's sales for a range of UTC days. Served by the core's getStats (totals, licences
// issued per product, the pending payout) and listSales (each sale), for the caller's creator.
// Permisoft is one currency: `totals` add up every currency's cents as getStats's do, and
// `currency` names it when there is exactly one (null otherwise; `byCurrency` then tells them apart).
import getStats from '../../endpoints/getStats.js';
import listSales from '../../endpoints/listSales.js';
import { actingCreator } from '../../domain/scope.js';
import { adminEndpoint, dialectRoute, type AdminContext } from '../../http/endpoint.js';
import { renamed } from '../shared.js';
import { publisherApiKey } from './common.js';

const NAMES = { from: 'from', to: 'to', productId: 'productId' } as const;
/** Sales read per page while gathering the range's sales. */
const PAGE = 500;

interface Sale {
  id: string;
  kind: string;
  orderId: string | null;
  productId: string;
  grossCents: number;
  feeCents: number;
  netCents: number;
  currency: string;
  occurredAt: string | null;
}

async function allSales(input: { from: Date; to: Date; productId?: string }, ctx: AdminContext): Promise<Sale[]> {
  const sales: Sale[] = [];
  let cursor: string | undefined;
  do {
    const page = await listSales.handle({ ...input, creatorId: undefined, limit: PAGE, cursor }, ctx);
    sales.push(...(page.sales as Sale[]));
    cursor = (page.nextCursor as string | null) ?? undefined;
  } while (cursor !== undefined);
  return sales;
}

const endpoint = adminEndpoint({
  get: true,
  schema: getStats.schema,
  handle: async (input, ctx) => {
    const [stats, sales] = await Promise.all([getStats.handle(input, ctx), allSales(input, ctx)]);
    return { creatorId: actingCreator(ctx.caller, input.creatorId), stats, sales };
  },
});

export default dialectRoute({
  endpoint,
  methods: ['GET'],
  request: (fields, header) => ({ ...renamed(fields, NAMES), apiKey: publisherApiKey(header) }),
  reply: ({ creatorId, stats, sales }) => {
    const s = stats as { platformFeePercent: number; currency: string | null; totals: Record<string, number>; byCurrency: unknown; byProduct: { productId: string; licensesIssued: number }[]; pendingPayoutCents: Record<string, number> };
    const pending = Object.values(s.pendingPayoutCents).reduce((a, b) => a + b, 0);
    return {
      body: {
        publisherSlug: creatorId,
        platformFeePercent: s.platformFeePercent,
        currency: s.currency,
        totals: {
          unitsSold: s.totals.unitsSold,
          grossCents: s.totals.grossCents,
          platformFeeCents: s.totals.platformFeeCents,
          netPublisherCents: s.totals.netCents,
          pendingPayoutCents: pending,
          refundedCents: s.totals.refundedCents,
        },
        byCurrency: s.byCurrency,
        keysIssuedByProduct: s.byProduct.map((p) => ({ productId: p.productId, count: p.licensesIssued })),
        sales: (sales as Sale[]).map((x) => ({
          orderId: x.orderId,
          kind: x.kind,
          productId: x.productId,
          grossCents: x.grossCents,
          platformFeeCents: x.feeCents,
          netPublisherCents: x.netCents,
          currency: x.currency,
          occurredAt: x.occurredAt,
        })),
      },
    };
  },
  error: (reply) => ({ status: reply.status, body: { error: reply.code, message: String(reply.body.error) } }),
});
