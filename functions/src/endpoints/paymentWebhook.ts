// paymentWebhook: the payment provider's events, each dispatched to one small handler in
// payments/. `purchaseId` is the idempotency key of every event. Unknown event types are
// answered 200 with `ignored: true`, since providers retry anything else. A creator's own
// webhook secret reaches only that creator's products (anything else is 404, as if unknown).
import { z } from 'zod';
import type { Scope } from '../domain/scope.js';
import { isPaymentEvent, type PaymentEvent } from '../domain/payment.js';
import { iso } from '../http/present.js';
import { webhookEndpoint, type WebhookSource } from '../http/endpoint.js';
import { currency, durationDays, email, identifier, int, licenseType, maxConcurrent, maxMachines, metadata, slug } from '../http/fields.js';
import { cancelSubscription } from '../payments/cancellation.js';
import { completePurchase, completeUnlicensedPurchase } from '../payments/purchase.js';
import { renewSubscription } from '../payments/renewal.js';
import { reversePurchase } from '../payments/reversal.js';
import { visibleProduct } from '../licensing/lookup.js';
import { when } from '../http/replies.js';

const purchase = { productId: slug(), purchaseId: identifier() };
/** Cents, and an ISO 4217 currency (required with an amount). */
const money = { amount: int(0, 1_000_000_000).optional(), currency: currency().optional() };
const amountHasCurrency = (v: { amount?: number | undefined; currency?: string | undefined }) => v.amount === undefined || v.currency !== undefined;
const CURRENCY_WITH_AMOUNT = { message: 'is required with amount', path: ['currency'] };

const EVENTS = {
  'purchase.completed': z
    .object({
      ...purchase,
      ...money,
      email: email(),
      variant: slug().optional(),
      licenseType: licenseType().optional(),
      maxMachines: maxMachines().optional(),
      maxConcurrent: maxConcurrent().optional(),
      discountCode: identifier(64).optional(),
      trialDays: int(1, 3650).optional(),
      durationDays: durationDays().optional(),
      metadata: metadata().optional(),
    })
    .refine(amountHasCurrency, CURRENCY_WITH_AMOUNT),
  'purchase.refunded': z.object({ ...purchase, ...money, refundId: identifier().optional() }).refine(amountHasCurrency, CURRENCY_WITH_AMOUNT),
  'purchase.disputed': z.object({ ...purchase, ...money, disputeId: identifier().optional() }).refine(amountHasCurrency, CURRENCY_WITH_AMOUNT),
  'subscription.renewed': z
    .object({ ...purchase, ...money, durationDays: durationDays().optional(), renewalId: identifier().optional() })
    .refine(amountHasCurrency, CURRENCY_WITH_AMOUNT),
  'subscription.cancelled': z.object(purchase),
} satisfies Record<PaymentEvent, z.ZodType>;

type Parsed = { [K in PaymentEvent]: { type: K } & z.output<(typeof EVENTS)[K]> }[PaymentEvent] | { type: 'ignored'; received: string };

const schema = z.looseObject({ type: z.string().trim().min(1).max(100) }).transform((body, ctx): Parsed => {
  if (!isPaymentEvent(body.type)) return { type: 'ignored', received: body.type };
  const parsed = EVENTS[body.type].safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue(issue as z.core.$ZodRawIssue);
    return z.NEVER;
  }
  return { ...parsed.data, type: body.type } as Parsed;
});

/** What a secret may touch: the platform's, any product; a creator's, only that creator's. */
const scopeOf = (source: WebhookSource): Scope => (source.kind === 'platform' ? { kind: 'super' } : { kind: 'creator', creatorId: source.creatorId });

export default webhookEndpoint({
  // What the reply carries depends on the event (docs/contract.md, Payment webhook).
  response: z.union([
    z.looseObject({ licenseKey: z.string(), licenseIssued: z.literal(true), created: z.boolean().meta({ description: 'false: this purchaseId was already applied' }), expiresAt: when() })
      .meta({ title: 'purchase.completed' }),
    z.looseObject({ licenseKey: z.null(), licenseIssued: z.literal(false), created: z.boolean(), message: z.string() })
      .meta({ title: 'purchase.completed, a plan that issues no licence' }),
    z.looseObject({ licenseKey: z.string().nullable(), pending: z.boolean().meta({ description: 'true: the purchase is not known yet; the event is applied when it arrives' }) })
      .meta({ title: 'purchase.refunded, purchase.disputed' }),
    z.looseObject({ licenseKey: z.string(), expiresAt: when(), duplicate: z.boolean().meta({ description: 'true: this renewal was already applied' }) })
      .meta({ title: 'subscription.renewed' }),
    z.looseObject({ licenseKey: z.string().nullable(), pending: z.boolean(), expiresAt: when() }).meta({ title: 'subscription.cancelled' }),
    z.looseObject({ ignored: z.literal(true), type: z.string() }).meta({ title: 'An event type Seatkey does not act on' }),
  ]),
  example: {
    request: { type: 'purchase.completed', productId: 'photo-app', purchaseId: 'order-1042', email: 'buyer@example.com', amount: 4900, currency: 'USD' },
    response: { success: true, licenseKey: 'ACME-7K2M-9QXP-4TRB-W8', licenseIssued: true, created: true, expiresAt: null },
  },
  schema,
  handle: async (input, { source, now }) => {
    if (input.type === 'ignored') return { ignored: true, type: input.received };
    const scope = scopeOf(source);
    if (input.type === 'purchase.completed') {
      const unlicensed = await completeUnlicensedPurchase(input, scope, now);
      if (unlicensed) return { licenseKey: null, licenseIssued: false, created: unlicensed.created, message: 'This plan issues no licence; the sale was recorded' };
      const { license, created } = await completePurchase(input, scope, now);
      return { licenseKey: license.licenseKey, licenseIssued: true, created, expiresAt: iso(license.expiresAt) };
    }
    const product = await visibleProduct(scope, input.productId);
    const ref = { creatorId: product.creatorId, productId: product.productId, purchaseId: input.purchaseId };
    switch (input.type) {
      case 'purchase.refunded':
      case 'purchase.disputed': {
        const reversalId = input.type === 'purchase.refunded' ? input.refundId : input.disputeId;
        return reversePurchase({ ...ref, type: input.type, amountCents: input.amount ?? null, currency: input.currency ?? null, reversalId: reversalId ?? null, receivedAt: now }, now);
      }
      case 'subscription.renewed': {
        const { license, duplicate } = await renewSubscription(input, product, now);
        return { licenseKey: license.licenseKey, expiresAt: iso(license.expiresAt), duplicate };
      }
      case 'subscription.cancelled': {
        const result = await cancelSubscription({ ...ref, type: input.type, amountCents: null, currency: null, receivedAt: now }, now);
        return { licenseKey: result.licenseKey, pending: result.pending, expiresAt: iso(result.expiresAt) };
      }
    }
  },
});
