// Benchmark helpers: side-by-side sampling, percentiles, and the results table and file.
// Every ratio compares two things measured interleaved in the same run, because the machines
// are shared and noisy; absolute numbers are printed for context only.
import { writeFileSync } from 'node:fs';

export interface Metric {
  name: string;
  value: number;
  unit: string;
  /** What the value is compared with, if anything. */
  reference?: string;
  referenceValue?: number;
  /** value / referenceValue. */
  ratio?: number;
  /** The target the issue sets, as text (e.g. "≤ 1.3"). */
  target?: string;
  /** Anything else the figure rests on (counts, prices, sizes), kept in bench-results.json. */
  detail?: Record<string, unknown>;
}

export class Results {
  readonly metrics: Metric[] = [];

  add(m: Metric): void {
    const withRatio = m.referenceValue !== undefined && m.ratio === undefined ? { ...m, ratio: m.value / m.referenceValue } : m;
    this.metrics.push(withRatio);
    const ratio = withRatio.ratio !== undefined ? `  ratio ${withRatio.ratio.toFixed(3)}${withRatio.target ? ` (target ${withRatio.target})` : ''}` : '';
    console.log(`  ${m.name}: ${fmt(m.value)} ${m.unit}${m.reference ? ` vs ${m.reference} ${fmt(m.referenceValue ?? NaN)} ${m.unit}` : ''}${ratio}`);
  }

  print(): void {
    const rows = this.metrics.map((m) => [
      m.name,
      `${fmt(m.value)} ${m.unit}`,
      m.reference ? `${m.reference}: ${fmt(m.referenceValue ?? NaN)} ${m.unit}` : '',
      m.ratio !== undefined ? m.ratio.toFixed(3) : '',
      m.target ?? '',
    ]);
    const head = ['metric', 'value', 'reference', 'ratio', 'target'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
    for (const r of rows) console.log(line(r));
  }

  write(path: string): void {
    writeFileSync(path, `${JSON.stringify({ when: new Date().toISOString(), node: process.version, metrics: this.metrics }, null, 2)}\n`);
  }
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n >= 100 ? n.toFixed(1) : n.toFixed(3));

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i]!;
}
export const median = (xs: number[]): number => percentile(xs, 50);

/**
 * Times each operation `rounds` times, interleaved (a, b, a, b, …, in an order that rotates each
 * round) from `concurrency` parallel loops, so all operations see the same machine conditions.
 * Returns the latencies in milliseconds per operation.
 */
export async function interleaved(
  ops: Record<string, () => Promise<unknown>>,
  rounds: number,
  concurrency = 1,
): Promise<Record<string, number[]>> {
  const names = Object.keys(ops);
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  let round = 0;
  const worker = async () => {
    for (;;) {
      const r = round++;
      if (r >= rounds) return;
      for (let k = 0; k < names.length; k++) {
        const name = names[(r + k) % names.length]!;
        const t = performance.now();
        await ops[name]!();
        out[name]!.push(performance.now() - t);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/** Calls `fn` `n` times concurrently, `width` at a time, to warm emulator workers. */
export async function warm(fn: () => Promise<unknown>, n: number, width = n): Promise<void> {
  let left = n;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (left-- > 0) await fn();
    }),
  );
}

/**
 * Warms two operations, times them interleaved for `rounds`, and adds the median latency of
 * `measured` against that of `reference` to the results.
 */
export async function compareLatency(
  results: Results,
  name: string,
  measured: () => Promise<unknown>,
  reference: { name: string; op: () => Promise<unknown> },
  rounds: number,
): Promise<void> {
  await warm(reference.op, 10);
  await warm(measured, 10);
  const lat = await interleaved({ reference: reference.op, measured }, rounds);
  results.add({ name, value: median(lat.measured!), unit: 'ms', reference: reference.name, referenceValue: median(lat.reference!) });
}
