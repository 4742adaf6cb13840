// Licence durations: a number of days, months or years counted on the calendar from a start.

export type DurationUnit = 'days' | 'months' | 'years';
export interface Duration {
  value: number;
  unit: DurationUnit;
}

const DAY_MS = 86_400_000;

/**
 * `start` plus `duration`. Months and years keep the time of day and clamp to the end of a
 * shorter month: a month from 31 January ends on the last day of February.
 */
export function addDuration(start: Date, duration: Duration): Date {
  if (duration.unit === 'days') return new Date(start.getTime() + duration.value * DAY_MS);
  const months = duration.unit === 'months' ? duration.value : duration.value * 12;
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(start.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(targetYear, targetMonth, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds()),
  );
}

/** The contract shows a day count beside the duration when the duration is in days. */
export const durationDaysOf = (d: Duration | null): number | null => (d && d.unit === 'days' ? d.value : null);

/**
 * The times Seatkey stores: from the Unix epoch (nothing it licenses is older) to the end of
 * 9999, the last instant a Firestore timestamp holds.
 */
export const EARLIEST_TIME = Date.UTC(1970, 0, 1);
export const LATEST_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const storable = (d: Date): boolean => d.getTime() >= EARLIEST_TIME && d.getTime() <= LATEST_TIME;
