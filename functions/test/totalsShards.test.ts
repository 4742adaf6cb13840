// Sharded sales totals: a bucket's shards sum into one, and different buckets never mix.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeShards, type TotalsBucket } from '../src/domain/sales.ts';

const shard = (over: Partial<TotalsBucket>): TotalsBucket => ({ creatorId: 'acme', productId: 'app', currency: 'USD', key: 'd:2026-11-30', ...over });

describe('mergeShards', () => {
  it('sums the shards of one bucket, counter by counter', () => {
    const merged = mergeShards([
      shard({ unitsSold: 2, grossCents: 5800 }),
      shard({ unitsSold: 1, grossCents: 2900, refunds: 1, refundedCents: 2900 }),
      shard({ unitsSold: 4, grossCents: 11600, platformFeeCents: 100 }),
    ]);
    assert.deepEqual(merged, [{ creatorId: 'acme', productId: 'app', currency: 'USD', key: 'd:2026-11-30', unitsSold: 7, grossCents: 20300, refunds: 1, refundedCents: 2900, platformFeeCents: 100 }]);
  });

  it('keeps buckets of another key, currency, product or creator apart', () => {
    const merged = mergeShards([
      shard({ unitsSold: 1 }),
      shard({ unitsSold: 1, key: 'm:2026-11' }),
      shard({ unitsSold: 1, currency: 'EUR' }),
      shard({ unitsSold: 1, currency: null, licensesIssued: 3 }),
      shard({ unitsSold: 1, productId: 'other' }),
      shard({ unitsSold: 1, creatorId: 'other' }),
      shard({ unitsSold: 5 }),
    ]);
    assert.equal(merged.length, 6);
    assert.equal(merged.find((b) => b.key === 'd:2026-11-30' && b.currency === 'USD' && b.productId === 'app' && b.creatorId === 'acme')?.unitsSold, 6);
    assert.equal(merged.find((b) => b.currency === null)?.licensesIssued, 3);
  });

  it('leaves a single, unsharded bucket as it was', () => {
    const one = shard({ unitsSold: 3, grossCents: 300 });
    assert.deepEqual(mergeShards([one]), [one]);
  });
});
