// The scheduled job that emits license.expired. Expiry itself needs no job (status is derived
// from expiresAt at read time); this only announces it, once per expiry, to the event log and
// so to creators' webhooks. It walks licences in expiry order from where its last run stopped.
import { dispatchingEvents } from '../webhooks/scope.js';
import { announceExpiry, expiringAfter, readExpiryCursor, saveExpiryCursor } from '../store/expiry.js';

/** How far back the very first run looks. */
const FIRST_RUN_LOOKBACK_MS = 7 * 86_400_000;
const PAGE = 200;

/** Returns how many expiries it announced. */
export async function run(now: Date): Promise<number> {
  return dispatchingEvents(async () => {
    let cursor = (await readExpiryCursor()) ?? { expiresAt: new Date(now.getTime() - FIRST_RUN_LOOKBACK_MS), licenseKey: '' };
    let announced = 0;
    for (;;) {
      const page = await expiringAfter(cursor, now, PAGE);
      for (const { licenseKey } of page) if (await announceExpiry(licenseKey, now)) announced++;
      if (page.length > 0) {
        cursor = page[page.length - 1]!;
        await saveExpiryCursor(cursor);
      }
      if (page.length < PAGE) return announced;
    }
  });
}
