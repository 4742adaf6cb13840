// The rate-limit hook of the pipeline: counts a call, sets the X-RateLimit-* headers, and
// refuses with 429 and Retry-After once a limit is used up.
import { RATE_LIMITS, type RateLimitName } from '../config.js';
import { SeatkeyError } from '../domain/errors.js';
import { consume, type RateLimitResult } from '../store/rateLimits.js';

export type HeaderSink = (name: string, value: string) => void;

function headersFor(result: RateLimitResult, now: number): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(result.limit),
    'X-RateLimit-Remaining': String(result.remaining),
    'X-RateLimit-Reset': String(Math.ceil(result.resetAt / 1000)),
    ...(result.allowed ? {} : { 'Retry-After': String(Math.max(1, Math.ceil((result.resetAt - now) / 1000))) }),
  };
}

/**
 * A per-request limiter. When several limits apply to one request, the headers describe the
 * one with the fewest calls left, which is the one a client has to respect.
 */
export class RequestLimiter {
  private tightest: RateLimitResult | undefined;

  constructor(private readonly setHeader: HeaderSink) {}

  async enforce(name: RateLimitName, subject: string): Promise<void> {
    const now = Date.now();
    const result = await consume(name, subject, RATE_LIMITS[name], now);
    const headers = headersFor(result, now);
    if (!result.allowed) {
      throw new SeatkeyError('rate_limited', `Rate limit exceeded: ${result.limit} per ${RATE_LIMITS[name].windowSeconds} s. Retry after ${headers['Retry-After']} s.`, headers);
    }
    if (this.tightest === undefined || result.remaining < this.tightest.remaining) {
      this.tightest = result;
      for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    }
  }
}
