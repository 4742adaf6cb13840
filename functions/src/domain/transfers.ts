// Transfers: a seat freed (deactivate, removeActivation) so another machine can take it. A licence
// may limit them (`maxTransfers` per rolling 30 days), as Permisoft and the plan guide do, so a
// key cannot hop round an office one machine at a time. Pure: no I/O.
import { SeatkeyError } from './errors.js';
import type { LicenseRecord } from './license.js';

export const TRANSFER_WINDOW_MS = 30 * 86_400_000;

/** The licence's transfers still inside the window at `now`, oldest first. */
export const transfersWithin = (l: Pick<LicenseRecord, 'transfers'>, now: Date): Date[] =>
  (l.transfers ?? []).filter((t) => now.getTime() - t.getTime() < TRANSFER_WINDOW_MS).sort((a, b) => a.getTime() - b.getTime());

/**
 * The licence with one more transfer recorded at `now`, or a 429 `transfer_limit` when its
 * `maxTransfers` are used up (Retry-After: until the oldest leaves the window). Floating licences
 * release leases as a matter of course, so their releases never count. Only the transfers inside
 * the window are kept, so the list never grows past the limit.
 */
export function withTransfer(l: LicenseRecord, now: Date): LicenseRecord {
  if (l.licenseType === 'floating' || l.maxTransfers == null) return l;
  const recent = transfersWithin(l, now);
  if (recent.length >= l.maxTransfers) {
    const oldest = recent[0];
    const retry = oldest ? Math.max(1, Math.ceil((oldest.getTime() + TRANSFER_WINDOW_MS - now.getTime()) / 1000)) : TRANSFER_WINDOW_MS / 1000;
    throw new SeatkeyError('transfer_limit', `Transfer limit reached: this licence allows ${l.maxTransfers} machine transfer(s) per 30 days`, { 'Retry-After': String(retry) });
  }
  return { ...l, transfers: [...recent, now] };
}
