// The periodic sweep: ends floating leases that lapsed without a heartbeat (freeing their seats
// where no activation has reclaimed them yet) and deletes expired rate-limit counters (where no
// TTL policy does it). Idempotent: each lease is re-checked in its own transaction, and deleting
// an expired counter twice is harmless. Paginated and bounded per run; the next run goes on.
// A scoped run (tests) walks the same pages but acts on its own licences only.
import * as logger from 'firebase-functions/logger';
import { LICENSE_LIMITS } from '../config.js';
import { inScope, type JobScope } from '../domain/jobScope.js';
import { loggable } from '../domain/redact.js';
import { lapsedLeasesPage } from '../store/activations.js';
import { deleteExpiredCounters, deleteExpiredCountersOf } from '../store/rateLimits.js';
import { endLapsedLeases } from '../store/seats.js';
import { dispatchingEvents } from '../webhooks/scope.js';

const PAGE = 200;
const MAX_PAGES = 25;

/** The limits counted per licence key, whose counters a scoped run may delete. */
const PER_LICENSE_LIMITS = [...Object.keys(LICENSE_LIMITS), 'validate'];

async function sweepLeases(now: Date, scope: JobScope | undefined): Promise<{ leasesEnded: number; leaseFailures: number }> {
  let leasesEnded = 0;
  let leaseFailures = 0;
  let cursor: Awaited<ReturnType<typeof lapsedLeasesPage>>[number] | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const docs = await lapsedLeasesPage(now, PAGE, cursor);
    const byLicense = new Map<string, string[]>();
    for (const d of docs) {
      const a = d.data();
      if (inScope(scope, a.licenseKey)) byLicense.set(a.licenseKey, [...(byLicense.get(a.licenseKey) ?? []), a.fingerprint]);
    }
    for (const [licenseKey, fingerprints] of byLicense) {
      try {
        leasesEnded += await endLapsedLeases(licenseKey, fingerprints, now);
      } catch (e) {
        // Busy licences are left for the next run; the rest of the page goes on.
        leaseFailures += fingerprints.length;
        logger.warn('sweepExpired: could not end leases', { error: loggable(e) });
      }
    }
    if (docs.length < PAGE) break;
    cursor = docs.at(-1);
  }
  return { leasesEnded, leaseFailures };
}

async function sweepRateLimits(now: Date, scope: JobScope | undefined): Promise<number> {
  if (scope) return deleteExpiredCountersOf(scope.licenseKeys.map((subject) => ({ names: PER_LICENSE_LIMITS, subject })), now);
  let deleted = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const n = await deleteExpiredCounters(now, PAGE);
    deleted += n;
    if (n < PAGE) break;
  }
  return deleted;
}

/**
 * Ended leases record activation.removed events, handed to creators' webhooks like any other.
 * The scheduled function runs over everything; `scope` (tests, in-process) limits a run to some
 * licences, their leases and their counters.
 */
export async function run(now: Date, scope?: JobScope): Promise<Record<string, number>> {
  const report = await dispatchingEvents(async () => {
    const [leases, rateLimitDocsDeleted] = await Promise.all([sweepLeases(now, scope), sweepRateLimits(now, scope)]);
    return { ...leases, rateLimitDocsDeleted };
  });
  logger.info('sweepExpired', { ...report, scoped: scope !== undefined });
  return report;
}
