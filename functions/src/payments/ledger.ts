// Building ledger entries for payment events: the amount, currency and platform fee of a sale.
import { PLATFORM_FEE_PERCENT } from '../config.js';
import { feeBasisPoints, feeCents, type SaleKind, type SaleRecord } from '../domain/sales.js';
import { saleId } from '../store/sales.js';

/** The currency of a sale whose event names none (a free purchase). */
export const DEFAULT_CURRENCY = 'USD';

/** The platform fee now, in basis points. */
export const currentFeeBasisPoints = (): number => feeBasisPoints(PLATFORM_FEE_PERCENT.value());

/** The purchase a payment event is about. */
export interface PurchaseRef {
  creatorId: string;
  productId: string;
  purchaseId: string;
}

/**
 * The ledger entry for `kind` of a purchase. `entry` names it within the purchase (`purchase`,
 * `reversal`, `renewal:<id>`) and makes its id, so it is recorded once.
 */
export function saleEntry(
  kind: SaleKind,
  entry: string,
  purchase: PurchaseRef & { licenseKey: string | null },
  money: { amountCents: number; currency: string },
  occurredAt: Date,
  basisPoints = currentFeeBasisPoints(),
): SaleRecord {
  return {
    id: saleId(purchase.creatorId, purchase.purchaseId, entry),
    kind,
    creatorId: purchase.creatorId,
    productId: purchase.productId,
    purchaseId: purchase.purchaseId,
    licenseKey: purchase.licenseKey,
    amountCents: money.amountCents,
    currency: money.currency,
    feeCents: feeCents(money.amountCents, basisPoints),
    feeBasisPoints: basisPoints,
    occurredAt,
  };
}
