// A floating licence's free seats dealt out over its seat shards (store/seatCounts.ts): the shares
// add up to exactly the seats left, so shards each within their share can never hold a seat too many.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SEAT_SHARDS, shardCapacity } from '../src/store/seatCounts.ts';

const shares = (limit: number, base: number) => Array.from({ length: SEAT_SHARDS }, (_, n) => shardCapacity(limit, base, n));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('shardCapacity', () => {
  it('deals the seats left over the shards, evenly, adding up to exactly them', () => {
    for (const limit of [1, 2, 3, 9, 10, 11, 16, 99, 100, 101, 1000]) {
      for (const base of [0, 1, Math.floor(limit / 2), limit - 1, limit]) {
        const s = shares(limit, base);
        assert.equal(sum(s), limit - base, `limit ${limit}, base ${base}`);
        assert.ok(Math.max(...s) - Math.min(...s) <= 1, `uneven: ${s.join(',')}`);
      }
    }
    assert.deepEqual(shares(16, 0), [2, 2, 2, 2, 2, 2, 1, 1, 1, 1]);
    assert.deepEqual(shares(3, 0), [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('gives no shard room once the licence document counts the limit or more (a lowered limit)', () => {
    assert.deepEqual(shares(5, 5), new Array(SEAT_SHARDS).fill(0));
    assert.deepEqual(shares(5, 6), new Array(SEAT_SHARDS).fill(0));
  });
});
