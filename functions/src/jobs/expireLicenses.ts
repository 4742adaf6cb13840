// The scheduled job that emits license.expired. Expiry itself needs no job (status is derived
// from expiresAt at read time); this only announces it, once per expiry, to the event log and
// so to creators' webhooks. It walks licences in expiry order from where its last run stopped.
// A scoped run (tests) walks the same order from a cursor of its own and announces only the
// expiries of its own licences.
import { inScope, scopeName, type JobScope } from '../domain/jobScope.js';
import { dispatchingEvents } from '../webhooks/scope.js';
import { announceExpiry, expiringAfter, readExpiryCursor, saveExpiryCursor } from '../store/expiry.js';

/** How far back the very first run looks. */
const FIRST_RUN_LOOKBACK_MS = 7 * 86_400_000;
const PAGE = 200;

/** Returns how many expiries it announced. */
export async function run(now: Date, scope?: JobScope): Promise<number> {
  const progress = scope && scopeName(scope);
  return dispatchingEvents(async () => {
    let cursor = (await readExpiryCursor(progress)) ?? { expiresAt: new Date(now.getTime() - FIRST_RUN_LOOKBACK_MS), licenseKey: '' };
    let announced = 0;
    for (;;) {
      const page = await expiringAfter(cursor, now, PAGE);
      for (const { licenseKey } of page) if (inScope(scope, licenseKey) && (await announceExpiry(licenseKey, now))) announced++;
      if (page.length > 0) {
        cursor = page[page.length - 1]!;
        await saveExpiryCursor(cursor, progress);
      }
      if (page.length < PAGE) return announced;
    }
  });
}
