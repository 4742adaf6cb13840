// Payment provider events and the licence changes they make. Pure: no I/O.
import { addDuration, type Duration } from './duration.js';
import { invalidRequest } from './errors.js';
import type { RevokeReason } from './license.js';
import type { SaleKind } from './sales.js';

export const PAYMENT_EVENTS = [
  'purchase.completed',
  'purchase.refunded',
  'purchase.disputed',
  'subscription.renewed',
  'subscription.cancelled',
] as const;
export type PaymentEvent = (typeof PAYMENT_EVENTS)[number];

/** Creators' payment-webhook secrets start with this (the platform secret is any string). */
export const CREATOR_WEBHOOK_SECRET_PREFIX = 'whsec_c_';

export const isPaymentEvent = (type: string): type is PaymentEvent => (PAYMENT_EVENTS as readonly string[]).includes(type);

/** Events that may arrive before their purchase; they wait for it and apply when it lands. */
export type DeferredEvent = 'purchase.refunded' | 'purchase.disputed' | 'subscription.cancelled';
export const DEFERRED_EVENTS: readonly DeferredEvent[] = ['purchase.refunded', 'purchase.disputed', 'subscription.cancelled'];

/** A refund or a chargeback: the money goes back and the licence is revoked. */
export const REVERSALS = {
  'purchase.refunded': { reason: 'refund', sale: 'refund' },
  'purchase.disputed': { reason: 'chargeback', sale: 'chargeback' },
} as const satisfies Record<string, { reason: RevokeReason; sale: SaleKind }>;
export type ReversalEvent = keyof typeof REVERSALS;

/**
 * What a purchase has been paid and given back, kept on its purchase record: the purchase and its
 * renewals in one currency, and the refunds and chargebacks against them.
 */
export interface PaidMoney {
  currency: string;
  paidCents: number;
  refundedCents: number;
}

/**
 * The money a refund or dispute gives back: in the purchase's currency (an event that names none
 * means it), at most what is left of what was paid (an event that names no amount gives back all
 * of it). Otherwise 400 naming the field, or with `clamp` (an event that waited for its purchase
 * and was already answered 200) what is left, and nothing in another currency.
 */
export function reversalAmount(paid: PaidMoney, event: { amountCents: number | null; currency: string | null }, clamp = false): number {
  const left = paid.paidCents - paid.refundedCents;
  if (event.currency !== null && event.currency !== paid.currency) {
    if (clamp) return 0;
    throw invalidRequest(`Invalid request: currency: must be the purchase's currency, ${paid.currency}`);
  }
  const amount = event.amountCents ?? left;
  if (amount <= left) return amount;
  if (clamp) return left;
  throw invalidRequest(`Invalid request: amount: ${amount} is more than is left of the purchase to give back (${left} ${paid.currency})`);
}

/** A billing period a subscription renewal pays for. */
export interface Period {
  start: Date;
  end: Date;
}

/**
 * The period a renewal pays for. Providers retry a delivery for days, so a renewal without its
 * own id is told from a retry by the period: one that arrives in the first half of the period the
 * last renewal paid for is that renewal again (`repeat`); later ones pay for the next period,
 * from when the licence is paid until (its expiry, else the last period's end), or from now once
 * that has passed.
 */
export function renewalPeriod(last: Period | undefined, paidUntil: Date | null, now: Date, duration: Duration): { period: Period; repeat: boolean } {
  if (last && now.getTime() < (last.start.getTime() + last.end.getTime()) / 2) return { period: last, repeat: true };
  const from = paidUntil && paidUntil.getTime() > now.getTime() ? paidUntil : now;
  return { period: { start: from, end: addDuration(from, duration) }, repeat: false };
}
