// Commerce benchmarks: a paymentWebhook purchase (licence, email, sale and event in one batch,
// then the hand-off to the webhook queue) against the `health` floor, and getStats over a year of
// daily totals against one day: with running totals the year reads a bounded number of buckets,
// so the ratio stays near constant however many sales the year holds.
import { saleEntry } from '../functions/src/payments/ledger.ts';
import { db } from '../functions/src/store/firestore.ts';
import { recordSale } from '../functions/src/store/sales.ts';
import { run as compactTotals } from '../functions/src/jobs/compactTotals.ts';
import { compareLatency, type Results } from './lib.ts';
import { get, newCreator, post } from './http.ts';

const WEBHOOK_SECRET = process.env.SEATKEY_WEBHOOK_SECRET ?? '';
const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

/** A year of sales straight into the ledger: three a day, in two currencies, for one product. */
async function seedYear(creatorId: string, productId: string): Promise<void> {
  const firestore = await db();
  for (let start = 0; start < 365; start += 40) {
    const batch = firestore.batch();
    for (let d = start; d < Math.min(start + 40, 365); d++) {
      const at = new Date(Date.now() - d * DAY_MS);
      for (const [i, currency] of ['USD', 'USD', 'EUR'].entries()) {
        const purchase = { creatorId, productId, purchaseId: `seed-${d}-${i}`, licenseKey: null };
        await recordSale(batch, saleEntry('purchase', 'purchase', purchase, { amountCents: 1000 + d, currency }, at, 500));
      }
    }
    await batch.commit();
  }
}

/** A new creator with one product. */
async function seller(tag: string): Promise<{ apiKey: string; creatorId: string; productId: string }> {
  const creator = await newCreator(tag);
  const productId = `${creator.creatorId}-app`;
  await post('createProduct', { name: `Bench ${tag}`, slug: productId }, { 'x-api-key': creator.apiKey });
  return { ...creator, productId };
}

export async function run(results: Results): Promise<void> {
  console.log('\ncommerce');
  const { productId } = await seller('commerce');
  let n = 0;
  const purchase = () =>
    post('paymentWebhook', { type: 'purchase.completed', email: 'buyer@example.com', productId, purchaseId: `bench-${n++}`, amount: 2900, currency: 'USD' }, { 'x-webhook-secret': WEBHOOK_SECRET });
  await compareLatency(results, 'paymentWebhook purchase median latency (emulator)', purchase, { name: 'health', op: () => get('health') }, 100);

  const shop = await seller('stats');
  await seedYear(shop.creatorId, shop.productId);
  // What the daily compactTotals job has done to a year gone by: each closed day's, month's and
  // year's shards folded into one document. Today's, this month's and this year's stay sharded.
  await compactTotals(new Date(), shop.creatorId);
  const stats = (from: string) => () => post('getStats', { from, to: day(0) }, { 'x-api-key': shop.apiKey });
  const year = await stats(day(-364))();
  if (year.totals.unitsSold !== 365 * 3) throw new Error(`getStats saw ${year.totals.unitsSold} sales, expected ${365 * 3}`);
  await compareLatency(results, 'getStats median latency over a year of daily totals (1095 sales)', stats(day(-364)), { name: 'getStats over one day', op: stats(day(0)) }, 100);
}
