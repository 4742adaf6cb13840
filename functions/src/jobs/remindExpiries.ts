// The scheduled job that emails buyers before their licence expires: `reminderDays` before (the
// product's, default 7; 0 never), once per expiry date (a renewed licence expiring again gets
// another), through the same `mail` collection as the licence email. It looks at licences
// expiring within the longest reminder any product may ask for; each product decides its own.
// A scoped run (tests) reminds only its own licences.
import { MAX_REMINDER_DAYS } from '../domain/license.js';
import { inScope, type JobScope } from '../domain/jobScope.js';
import { expiringBetween, remindExpiry } from '../store/expiry.js';
import { getProduct, type Product } from '../store/products.js';

const PAGE = 200;
const DAY_MS = 86_400_000;

/** Returns how many reminders it queued. */
export async function run(now: Date, scope?: JobScope): Promise<number> {
  const products = new Map<string, Promise<Product | undefined>>();
  const productOf = (id: string) => products.get(id) ?? products.set(id, getProduct(id)).get(id)!;
  const until = new Date(now.getTime() + MAX_REMINDER_DAYS * DAY_MS);
  let reminded = 0;
  let after: Awaited<ReturnType<typeof expiringBetween>>[number] | undefined;
  for (;;) {
    const page = await expiringBetween(now, until, PAGE, after);
    for (const { licenseKey } of page) if (inScope(scope, licenseKey) && (await remindExpiry(licenseKey, now, productOf))) reminded++;
    if (page.length < PAGE) return reminded;
    after = page[page.length - 1];
  }
}
