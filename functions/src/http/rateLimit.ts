// The rate-limit hook of the pipeline: counts a call, sets the X-RateLimit-* headers, and
// refuses with 429 and Retry-After once a limit is used up.
import { LICENSE_LIMITS, RATE_LIMITS, type LicenseLimitName, type RateLimitName } from '../config.js';
import type { LicenseRecord } from '../domain/license.js';
import { rateLimitHeaders, rateLimited, scaledLimit, verdictOf, type RateLimitResult } from '../domain/limits.js';
import { consume, tally } from '../store/rateLimits.js';

export type HeaderSink = (name: string, value: string) => void;

/** A call counted against a per-licence limit whose size is known only once the licence is read. */
export interface Tally {
  /** Settles once the count is in (rejects if it could not be made). */
  readonly counted: Promise<void>;
  /** Admits the call against the limit that fits `license` (undefined: none) or throws the 429. */
  judge(license: LicenseRecord | undefined): Promise<void>;
}

/** Per-licence limits (limit and key) last judged absent on this instance: a hint, bounded. */
const unlimited = new Set<string>();
const UNLIMITED_HINTS = 10_000;
function remember(key: string): void {
  if (unlimited.size >= UNLIMITED_HINTS) unlimited.clear();
  unlimited.add(key);
}

/**
 * A per-request limiter. When several limits apply to one request, the headers describe the
 * one with the fewest calls left, which is the one a client has to respect.
 */
export class RequestLimiter {
  private tightest: RateLimitResult | undefined;

  /** `clock` places calls in their windows (the wall clock, but for tests in the emulator). */
  constructor(
    private readonly setHeader: HeaderSink,
    private readonly clock: () => number = Date.now,
  ) {}

  async enforce(name: RateLimitName, subject: string): Promise<void> {
    const now = this.clock();
    this.admit(await consume(name, subject, RATE_LIMITS[name], now), RATE_LIMITS[name].windowSeconds, now, name);
  }

  /**
   * Starts counting the call against `name` for `subject` now; `judge` decides later. A licence
   * this instance last judged to have no such limit (site, unlimited) is not counted ahead: its
   * counter would be one document written by every call of a rollout. If it has a limit by the
   * time it is judged, the call is counted then.
   */
  tally(name: LicenseLimitName, subject: string): Tally {
    const rule = LICENSE_LIMITS[name];
    const key = `${name}\u0000${subject}`;
    const start = () => {
      const c = tally(name, subject, rule.windowSeconds, this.clock());
      c.catch(() => undefined);
      return c;
    };
    let count = unlimited.has(key) ? undefined : start();
    return {
      counted: count ? count.then(() => undefined) : Promise.resolve(),
      judge: async (license) => {
        const limit = scaledLimit(rule, license);
        if (limit === null) return void remember(key);
        unlimited.delete(key);
        const { count: n, resetAt } = await (count ??= start());
        this.admit(verdictOf(n, limit, resetAt), rule.windowSeconds, this.clock(), name);
      },
    };
  }

  /** Throws the 429 for a refusal; otherwise keeps the headers of the tightest limit so far. */
  private admit(result: RateLimitResult, windowSeconds: number, now: number, name: string): void {
    if (!result.allowed) throw rateLimited(result, windowSeconds, now, name);
    if (this.tightest === undefined || result.remaining < this.tightest.remaining) {
      this.tightest = result;
      for (const [k, v] of Object.entries(rateLimitHeaders(result, now))) this.setHeader(k, v);
    }
  }
}
