// Folds the shards of closed sales-totals buckets into one document each. A bucket is spread over
// up to TOTALS_SHARDS documents so a product selling many times a second does not queue on one
// (domain/sales.ts); once its day, month or year has ended no sale is dated in it any more, and
// every later read of it (getStats over a range, the all-time totals) would read all its shards.
// Daily: walks each kind of bucket in key order from where the last run stopped to the first
// open period, bounded per run; the next run goes on. A scoped run (tests, the bench) walks one
// creator's buckets from the start and keeps no progress.
import * as logger from 'firebase-functions/logger';
import { closedKeyRanges } from '../domain/sales.js';
import { loggable } from '../domain/redact.js';
import { foldShards, readCompactCursor, saveCompactCursor, totalsShardsPage, type CompactCursor, type ShardPosition } from '../store/sales.js';

const PAGE = 300;
const MAX_PAGES = 50;
/**
 * A period counts as closed an hour after it ended: a sale is dated when its request is handled
 * and committed within that request (minutes at most). A later write would not be lost anyway,
 * only read as one more shard.
 */
const SETTLE_MS = 3_600_000;

/** The bucket a shard belongs to: its id without the shard. */
const bucketOf = (id: string): string => id.slice(0, id.lastIndexOf('~'));

export async function run(now: Date, creatorId?: string): Promise<{ buckets: number; shardsRemoved: number; failures: number; done: boolean }> {
  const report = { buckets: 0, shardsRemoved: 0, failures: 0, done: true };
  const cursor: CompactCursor = creatorId === undefined ? await readCompactCursor() : {};
  let pages = 0;
  for (const range of closedKeyRanges(new Date(now.getTime() - SETTLE_MS), cursor)) {
    let after: ShardPosition | undefined;
    for (;;) {
      if (pages++ >= MAX_PAGES) {
        report.done = false;
        break;
      }
      const page = await totalsShardsPage(range, PAGE, after, creatorId);
      // Fold each bucket with two shards or more on the page, and the page's last bucket, whose
      // other shards may be on the next page (the fold reads all of a bucket's shards itself).
      const seen = new Map<string, { shards: number; shard: (typeof page)[number] }>();
      for (const shard of page) {
        const id = bucketOf(shard.id);
        seen.set(id, { shards: (seen.get(id)?.shards ?? 0) + 1, shard });
      }
      const last = page.length === PAGE ? bucketOf(page.at(-1)!.id) : undefined;
      for (const [id, { shards, shard }] of seen) {
        if (shards < 2 && id !== last) continue;
        try {
          const removed = await foldShards(shard);
          if (removed > 0) report.buckets++;
          report.shardsRemoved += removed;
        } catch (e) {
          // A busy bucket is left as it is: still correct, only read as several documents.
          report.failures++;
          logger.warn('compactTotals: could not fold a bucket', { bucket: id, error: loggable(e) });
        }
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!;
    }
    if (!report.done) {
      // Go on next run from the key reached: its buckets may be only partly folded.
      if (creatorId === undefined && after) await saveCompactCursor({ [range.kind]: after.key });
      break;
    }
    if (creatorId === undefined) await saveCompactCursor({ [range.kind]: range.until });
  }
  logger.info('compactTotals', report);
  return report;
}
