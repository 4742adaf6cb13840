// What a shipped app may do with a licence right now: the refusals every client endpoint shares,
// seat counts as the client replies show them, and lease timing. Pure: no I/O.
import { forbidden, type SeatkeyError } from './errors.js';
import { endsAt, seatLimitOf, statusAt, type LicenseRecord } from './license.js';
import { UNLIMITED } from './product.js';

/** The licence covers `productId`: its own product, or one it unlocks (a bundle). */
export const coversProduct = (l: Pick<LicenseRecord, 'productId' | 'unlockedProducts'>, productId: string): boolean =>
  l.productId === productId || l.unlockedProducts.includes(productId);

/**
 * Why a client may not use the licence now, if it may not: wrong_product (when the request
 * names a product), then revoked, suspended or expired by its status at `now`. A degraded
 * licence still works (with short tokens and a warning).
 */
export function refusalOf(l: LicenseRecord, now: Date, productId?: string): SeatkeyError | undefined {
  if (productId !== undefined && !coversProduct(l, productId)) return forbidden('wrong_product', `This licence is not for product "${productId}"`);
  if (l.deactivatedAt != null) return forbidden('deactivated', 'This licence has been permanently deactivated');
  switch (statusAt(l, now)) {
    case 'revoked':
      return forbidden('revoked', 'This licence has been revoked');
    case 'suspended':
      return forbidden('suspended', 'This licence is suspended');
    case 'expired':
      return forbidden('expired', `This licence expired on ${l.expiresAt?.toISOString()}`);
    // grace, degraded and active work.
    default:
      return undefined;
  }
}

export const machineLimitMessage = (limit: number): string => `Machine limit reached (${limit}). Deactivate another machine first.`;

export const DEGRADED_WARNING =
  'Unusual activity was detected on this licence. It keeps working with session tokens that last 24 hours until the publisher reviews it.';

/** The `warning` client replies carry for a degraded licence, or one in its grace period. */
export function warningOf(l: LicenseRecord, now: Date): { warning?: string; graceEndsAt?: string } {
  const status = statusAt(l, now);
  if (status === 'degraded') return { warning: DEGRADED_WARNING };
  const end = endsAt(l);
  if (status === 'grace' && end) {
    return {
      warning: `This licence expired on ${l.expiresAt?.toISOString()}. It keeps working in its grace period until ${end.toISOString()}; renew it before then.`,
      graceEndsAt: end.toISOString(),
    };
  }
  return {};
}

/** `machinesUsed` and `maxMachines` as clients read them: the seat limit that applies, -1 for none. */
export const seatsOf = (l: LicenseRecord): { machinesUsed: number; maxMachines: number } => ({
  machinesUsed: l.machinesUsed,
  maxMachines: seatLimitOf(l) ?? UNLIMITED,
});

/**
 * A floating client renews its lease at half the interval, so one late or lost heartbeat does not
 * cost it the seat.
 */
export const heartbeatEvery = (intervalSeconds: number): number => Math.max(1, Math.floor(intervalSeconds / 2));

export const leaseUntil = (now: Date, intervalSeconds: number): Date => new Date(now.getTime() + intervalSeconds * 1000);
