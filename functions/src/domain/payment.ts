// Payment provider events and the licence changes they make. Pure: no I/O.
import { addDuration, type Duration } from './duration.js';
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

/** A renewal extends from the later of now and the current expiry; a perpetual licence stays so. */
export function renewedExpiry(current: Date | null, now: Date, duration: Duration): Date | null {
  if (current === null) return null;
  return addDuration(current.getTime() > now.getTime() ? current : now, duration);
}
