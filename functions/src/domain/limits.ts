// Rate limits as rules, without I/O: fixed clock-aligned windows, the verdict on a counted call,
// the headers a reply carries, limits that scale with a licence's seats, and the renewal count
// a floating lease keeps on itself.
import { heartbeatEvery } from './access.js';
import { SeatkeyError } from './errors.js';
import { seatLimitOf, type LicenseRecord } from './license.js';
import type { LicenseType } from './product.js';

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  /** Calls left in this window (exact for a one-document count, an estimate for a sharded one). */
  remaining: number;
  /** When the window ends (Unix milliseconds). */
  resetAt: number;
}

/** The fixed, clock-aligned window of `windowSeconds` that `now` falls in. */
export function windowAt(now: number, windowSeconds: number): { start: number; resetAt: number } {
  const ms = windowSeconds * 1000;
  const start = Math.floor(now / ms) * ms;
  return { start, resetAt: start + ms };
}

/** The verdict on the `count`-th call of a window against `limit`. */
export const verdictOf = (count: number, limit: number, resetAt: number): RateLimitResult => ({
  allowed: count <= limit,
  limit,
  remaining: Math.max(0, limit - count),
  resetAt,
});

/** The contract's X-RateLimit-* headers for a verdict, and Retry-After on a refusal. */
export function rateLimitHeaders(result: RateLimitResult, now: number): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(result.limit),
    'X-RateLimit-Remaining': String(result.remaining),
    'X-RateLimit-Reset': String(Math.ceil(result.resetAt / 1000)),
    ...(result.allowed ? {} : { 'Retry-After': String(Math.max(1, Math.ceil((result.resetAt - now) / 1000))) }),
  };
}

/** The 429 for a refused verdict. */
export function rateLimited(result: RateLimitResult, windowSeconds: number, now: number, limit?: string): SeatkeyError {
  const headers = rateLimitHeaders(result, now);
  return new SeatkeyError('rate_limited', `Rate limit exceeded: ${result.limit} per ${windowSeconds} s. Retry after ${headers['Retry-After']} s.`, headers, limit === undefined ? undefined : { limit });
}

export interface ScaledRule {
  minimum: number;
  perSeat: number;
  windowSeconds: number;
  /** The licence types whose limit grows with their seats; the others keep the minimum. */
  scales: readonly LicenseType[];
  /** The minimum for every licence, site and unlimited ones too (another system's documented limit). */
  everyLicence?: boolean;
}

/**
 * The per-licence limit for a licence (undefined: a key that names none): `minimum`, or `perSeat`
 * times the seat limit (maxMachines, or maxConcurrent for floating licences) where that is more
 * and the rule scales for the licence's type; null for site and unlimited licences, which have
 * no seats to churn and are limited per client IP only (unless the rule is for `everyLicence`).
 */
export function scaledLimit(rule: ScaledRule, license: Pick<LicenseRecord, 'licenseType' | 'maxMachines' | 'maxConcurrent'> | undefined): number | null {
  if (!license || rule.everyLicence) return rule.minimum;
  const seats = seatLimitOf(license);
  if (seats === null) return null;
  return rule.scales.includes(license.licenseType) ? Math.max(rule.minimum, rule.perSeat * seats) : rule.minimum;
}

/** How often a lease was renewed in its current window (stored on the activation). */
export interface LeaseRenewals {
  /** The window's start, Unix milliseconds. */
  window: number;
  count: number;
}

export interface RenewalRule {
  multiple: number;
  windowSeconds: number;
}

/**
 * Renewals a lease may have per window: `multiple` times the most a client heartbeating every
 * `heartbeatEvery(interval)` seconds sends within one clock-aligned window.
 */
export const renewalLimit = (rule: RenewalRule, intervalSeconds: number): number =>
  rule.multiple * (Math.floor(rule.windowSeconds / heartbeatEvery(intervalSeconds)) + 1);

/** Counts one more renewal of a lease at `now` and says whether it is admitted. */
export function renewLease(previous: LeaseRenewals | undefined, now: number, intervalSeconds: number, rule: RenewalRule): { renewals: LeaseRenewals; result: RateLimitResult } {
  const { start, resetAt } = windowAt(now, rule.windowSeconds);
  const count = (previous?.window === start ? previous.count : 0) + 1;
  return { renewals: { window: start, count }, result: verdictOf(count, renewalLimit(rule, intervalSeconds), resetAt) };
}
