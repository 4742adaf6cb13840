// Payment connections: a creator's account at a payment provider, whose webhooks Seatkey takes
// directly (payments/providers/). What a provider event means once its signature is checked is
// one of the few things below; which Seatkey product it is about comes from the connection's
// product mapping or the checkout's own metadata. Pure: no I/O.

export const PROVIDERS = ['stripe', 'paddle', 'lemonsqueezy', 'gumroad', 'polar'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** The HTTPS function that takes each provider's webhooks (index.ts). */
export const PROVIDER_FUNCTIONS: Record<ProviderName, string> = {
  stripe: 'stripeWebhook',
  paddle: 'paddleWebhook',
  lemonsqueezy: 'lemonSqueezyWebhook',
  gumroad: 'gumroadWebhook',
  polar: 'polarWebhook',
};

/** Connection ids carry 128 random bits: a Gumroad connection's URL is its only credential. */
export const CONNECTION_ID_PREFIX = 'pc_';

/** A provider id (price, product, variant, payment link, permalink) and the product it sells. */
export interface ProductMapping {
  match: string;
  productId: string;
  variant?: string | undefined;
}

/** paymentConnections/{id}, as everyone but the webhook path sees it: never the secret. */
export interface PaymentConnection {
  id: string;
  creatorId: string;
  provider: ProviderName;
  name: string;
  products: ProductMapping[];
  /** Gumroad: the seller id every ping must carry. */
  sellerId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The checkout metadata keys that name the product on the provider's side. */
export const METADATA_PRODUCT = 'seatkey_product';
export const METADATA_VARIANT = 'seatkey_variant';

/** What a purchase event says about which product was bought. */
export interface ProductHints {
  /** The provider's own ids, most specific first (a variant or price before its product). */
  match: readonly (string | null | undefined)[];
  /** The checkout's custom data / metadata, if any. */
  metadata?: Record<string, unknown> | null | undefined;
}

/** Money as the provider gave it, in the currency's minor unit. */
export interface Money {
  amount: number;
  currency: string;
}

/**
 * A provider event, translated. `purchaseId` is the same for every event of one purchase (the
 * subscription id for subscriptions); `refs` are other ids of the provider (a payment intent,
 * an order) that later events may name instead, `purchaseRefs` the ids such an event names.
 */
export type ProviderEvent =
  | { kind: 'purchase'; purchaseId: string; email: string | null; customerId?: string | undefined; product: ProductHints; money: Money | null; refs?: string[] }
  | { kind: 'renewal'; purchaseRefs: string[]; renewalId: string; money: Money | null; refs?: string[] }
  | { kind: 'refund'; purchaseRefs: string[]; refundId: string | null; money: Money | null; totalRefunded?: boolean }
  | { kind: 'dispute'; purchaseRefs: string[]; disputeId: string | null; money: Money | null }
  | { kind: 'disputeWon'; purchaseRefs: string[]; disputeId: string | null }
  /** Cancelled at the period's end: the licence runs to its expiry. */
  | { kind: 'cancel'; purchaseRefs: string[] }
  /** Ended now (revoked, expired): the licence is revoked now. */
  | { kind: 'end'; purchaseRefs: string[] }
  /** A provider's purchase ids another id refers to (a subscription's order). */
  | { kind: 'alias'; purchaseId: string; refs: string[] }
  /** The provider's customer record: its email, for purchases that name only the customer. */
  | { kind: 'customer'; customerId: string; email: string };

/** The connection's mapping for the first provider id it maps, else the checkout's metadata. */
export function resolveProduct(products: readonly ProductMapping[], hints: ProductHints): { productId: string; variant?: string | undefined } | null {
  for (const id of hints.match) {
    if (!id) continue;
    const found = products.find((p) => p.match === String(id));
    if (found) return { productId: found.productId, variant: found.variant };
  }
  const named = hints.metadata?.[METADATA_PRODUCT];
  if (typeof named === 'string' && named.trim() !== '') {
    const variant = hints.metadata?.[METADATA_VARIANT];
    return { productId: named.trim(), variant: typeof variant === 'string' && variant.trim() !== '' ? variant.trim() : undefined };
  }
  return null;
}

/** A provider's currency code as an ISO 4217 code (Stripe and Gumroad send lower case). */
export const isoCurrency = (code: unknown): string | null => (typeof code === 'string' && /^[a-zA-Z]{3}$/.test(code) ? code.toUpperCase() : null);

/** A minor-unit amount from a number or a numeric string (Paddle sends strings); null if none. */
export function minorUnits(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Money from an amount and a currency, or null when either is missing. */
export function moneyOf(amount: unknown, currency: unknown): Money | null {
  const a = minorUnits(amount);
  const c = isoCurrency(currency);
  return a === null || c === null ? null : { amount: a, currency: c };
}
