// How the console writes dates, money and seat counts.
export const dateText = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '—';

export const dateTimeText = (iso: string | null | undefined): string =>
  iso
    ? new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }) + ' UTC'
    : '—';

export const money = (cents: number, currency: string | null | undefined): string =>
  currency ? new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(cents / 100) : (cents / 100).toFixed(2);

/** "2/5 activations", or "3/Unlimited" when the licence has no limit. */
export function activationsText(used: number, max: number): string {
  return max < 0 ? `${used}/Unlimited` : `${used}/${max} activations`;
}

/** "3/10", or "3/Unlimited". */
export const usesText = (used: number, max: number): string => `${used}/${max < 0 ? 'Unlimited' : max}`;

export const statusLabel = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A day as YYYY-MM-DD in UTC, for date inputs and the API's dates. */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
