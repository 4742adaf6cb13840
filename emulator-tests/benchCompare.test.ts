// bench/compare.ts's arithmetic (pure, no emulator): the permutation test that says whether one
// side's ratios are worse than the other's beyond the machine's noise, and how runs are paired.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns, medianOf, permutationP, table } from '../bench/compare.ts';
import type { Metric } from '../bench/lib.ts';

const ratio = (name: string, r: number, unit = 'ms'): Metric => ({ name, value: r, unit, reference: 'floor', referenceValue: 1, ratio: r });

describe('bench compare', () => {
  it('gives 1 in 20 when three runs of each side separate completely (the fewest runs that can show a change)', () => {
    assert.equal(permutationP([1.1, 1.2, 1.15], [1.3, 1.4, 1.35]), 1 / 20);
  });

  it('finds no change in either direction when the sides are the same runs', () => {
    const runs = [1.1, 1.2, 1.3, 1.25];
    assert.ok(permutationP(runs, runs) > 0.4);
    assert.ok(permutationP(runs, runs, false) > 0.4);
  });

  it('calls a lower head worse only where lower is worse', () => {
    const base = [1.1, 1.12, 1.15, 1.11];
    const head = [1.0, 0.98, 1.01, 0.99];
    assert.equal(permutationP(base, head), 1);
    assert.equal(permutationP(base, head, false), 1 / 70);
  });

  it('samples when there are too many relabellings to count, and still tells noise from a shift', () => {
    const noise = (i: number) => ((i * 37) % 11) / 100;
    const base = Array.from({ length: 12 }, (_, i) => 1.2 + noise(i));
    const shifted = base.map((x) => x + 0.08);
    assert.ok(permutationP(base, shifted) < 0.01);
    assert.ok(permutationP(base, [...base].reverse()) > 0.3);
  });

  it('pairs each ratio across runs, leaves out figures without one, and reads a rate as higher-is-better', () => {
    const base = [
      [ratio('verify p95', 1.2), ratio('offline rate', 0.9, 'verifications/s'), { name: 'admitted', value: 15, unit: 'calls' }],
      [ratio('verify p95', 1.1), ratio('offline rate', 0.92, 'verifications/s')],
    ];
    const head = [[ratio('verify p95', 1.3), ratio('offline rate', 0.8, 'verifications/s'), ratio('only here', 2)], [ratio('verify p95', 1.26), ratio('offline rate', 0.85, 'verifications/s')]];
    const rows = compareRuns(base, head);
    assert.deepEqual(rows.map((r) => [r.name, r.base, r.head, r.higherIsBetter]), [
      ['verify p95', [1.2, 1.1], [1.3, 1.26], false],
      ['offline rate', [0.9, 0.92], [0.8, 0.85], true],
    ]);
    // Both got worse: the p95 went up and the rate went down (2 vs 2 runs: 1 in 6 at best).
    assert.deepEqual(rows.map((r) => r.pWorse), [1 / 6, 1 / 6]);
    const md = table(rows, 'before', 'now');
    assert.match(md, /\| verify p95 \| 1\.15 \(1\.10–1\.20, 2 runs\) \| 1\.28 \(1\.26–1\.30, 2 runs\) \| 0\.17 \|/);
    assert.match(md, /offline rate \(higher is better\)/);
  });

  it('takes the middle of an even number of runs', () => {
    assert.equal(medianOf([1, 4, 2, 3]), 2.5);
    assert.equal(medianOf([3, 1, 2]), 2);
  });
});
