// jobs/compactTotals against the emulators: each closed day's, month's and year's totals shards
// fold into one document, getStats (over HTTP) answers exactly as before, the open periods stay
// as they are, a second run folds nothing, and sales landing on a closed bucket's shards while
// it is folded are all still counted. The year of sales is written into the ledger through the
// store (as the bench does): a sale made over HTTP is always dated now.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asCreator, newCreator, newProduct, type CreatorFixture } from './helpers.ts';
import { db } from '../functions/src/store/firestore.ts';
import { COLLECTIONS } from '../functions/src/store/collections.ts';
import { saleEntry } from '../functions/src/payments/ledger.ts';
import { recordSale } from '../functions/src/store/sales.ts';
import { run as compactTotals } from '../functions/src/jobs/compactTotals.ts';

const DAY_MS = 86_400_000;
const NOW = new Date();
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY_MS).toISOString().slice(0, 10);

async function sell(creatorId: string, productId: string, daysAgo: number[], perDay: number, tag: string): Promise<void> {
  const firestore = await db();
  const batch = firestore.batch();
  for (const d of daysAgo) {
    for (let i = 0; i < perDay; i++) {
      const purchase = { creatorId, productId, purchaseId: `${tag}-${d}-${i}`, licenseKey: null };
      await recordSale(batch, saleEntry('purchase', 'purchase', purchase, { amountCents: 1000 + d + i, currency: i % 3 === 2 ? 'EUR' : 'USD' }, new Date(NOW.getTime() - d * DAY_MS), 500));
    }
  }
  await batch.commit();
}

/** The creator's totals shards, per bucket (the id without its shard). */
async function shardsByBucket(creatorId: string): Promise<Map<string, { key: string; shards: string[] }>> {
  const snap = await (await db()).collection(COLLECTIONS.salesTotals).where('creatorId', '==', creatorId).get();
  const buckets = new Map<string, { key: string; shards: string[] }>();
  for (const doc of snap.docs) {
    const id = doc.id.slice(0, doc.id.lastIndexOf('~'));
    const b = buckets.get(id) ?? { key: doc.get('key') as string, shards: [] };
    b.shards.push(doc.id.slice(doc.id.lastIndexOf('~') + 1));
    buckets.set(id, b);
  }
  return buckets;
}

/** A period is open (the job leaves it) when it ends after an hour ago. */
const isOpen = (key: string): boolean => {
  const [kind, period] = [key[0], key.slice(2)];
  const firstOpen = new Date(NOW.getTime() - 3_600_000).toISOString().slice(0, 10);
  return kind === 'd' ? period >= firstOpen : kind === 'm' ? period >= firstOpen.slice(0, 7) : period >= firstOpen.slice(0, 4);
};

describe('compactTotals: folding closed periods', () => {
  let c: CreatorFixture;
  let productId: string;
  const stats = async (from: string) => {
    const r = await asCreator(c.apiKey, 'getStats', { from, to: day(0) });
    assert.equal(r.status, 200, r.text);
    const { totals, byCurrency, byProduct, pendingPayoutCents } = r.body;
    return { totals, byCurrency, byProduct, pendingPayoutCents };
  };

  before(async () => {
    c = await newCreator('compact');
    productId = await newProduct(c);
    // Every 5th day for 400 days back (closed days, months and last year), 4 sales each, and today.
    await sell(c.creatorId, productId, Array.from({ length: 81 }, (_, i) => i * 5), 4, 'seed');
  });

  it('folds each closed bucket into one document; getStats answers as before; open periods stay', async () => {
    const ranges = [day(-400), day(-364), day(-40), day(-3)];
    const before = await Promise.all(ranges.map(stats));
    assert.equal(before[0]!.totals.unitsSold, 81 * 4, 'the seeded sales are all counted');
    const shardsBefore = await shardsByBucket(c.creatorId);
    const closedWithShards = [...shardsBefore.values()].filter((b) => !isOpen(b.key) && b.shards.length > 1);
    assert.ok(closedWithShards.length > 20, `closed buckets spread over shards before the run (${closedWithShards.length})`);

    const report = await compactTotals(NOW, c.creatorId);
    assert.equal(report.failures, 0);
    assert.equal(report.done, true);
    assert.equal(report.buckets, closedWithShards.length);
    assert.equal(report.shardsRemoved, closedWithShards.reduce((n, b) => n + b.shards.length - 1, 0));

    const shardsAfter = await shardsByBucket(c.creatorId);
    assert.deepEqual([...shardsAfter.keys()].sort(), [...shardsBefore.keys()].sort(), 'no bucket lost or made up');
    for (const [id, b] of shardsAfter) {
      if (isOpen(b.key)) assert.deepEqual(b.shards.sort(), shardsBefore.get(id)!.shards.sort(), `open ${b.key} untouched`);
      else if (shardsBefore.get(id)!.shards.length > 1) assert.deepEqual(b.shards, ['s0'], `closed ${b.key} folded into s0`);
    }
    assert.ok([...shardsAfter.values()].some((b) => isOpen(b.key)), 'the seed has open buckets too');
    assert.deepEqual(await Promise.all(ranges.map(stats)), before, 'getStats and pendingPayoutCents unchanged');

    const again = await compactTotals(NOW, c.creatorId);
    assert.deepEqual(again, { buckets: 0, shardsRemoved: 0, failures: 0, done: true }, 'a second run folds nothing');
  });

  it('loses no sale that lands on a closed bucket while it is folded', async () => {
    const from = day(-400);
    const before = await stats(from);
    // Spread the closed buckets again, then fold them while 20 more sales land on them.
    await sell(c.creatorId, productId, Array.from({ length: 20 }, (_, i) => 10 + i * 5), 2, 'spread');
    const added = 20 * 2;
    const late = Array.from({ length: 20 }, (_, i) => sell(c.creatorId, productId, [10 + (i % 10) * 5], 1, `late${i}`));
    const [report] = await Promise.all([compactTotals(NOW, c.creatorId), ...late]);
    assert.equal(report.failures, 0);
    const after = await stats(from);
    assert.equal(after.totals.unitsSold, before.totals.unitsSold + added + 20, 'every sale counted once');
    const spreadGross = Array.from({ length: 20 }, (_, i) => 2 * (1000 + 10 + i * 5) + 1).reduce((a, b) => a + b, 0);
    const lateGross = Array.from({ length: 20 }, (_, i) => 1000 + 10 + (i % 10) * 5).reduce((a, b) => a + b, 0);
    assert.equal(after.totals.grossCents - before.totals.grossCents, spreadGross + lateGross, 'and its money');
  });
});
