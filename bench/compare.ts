// `npm run bench:compare -- <base> [suite…] [--rounds N]`: whether this checkout's ratios are worse
// than those of the commit `base`, measured side by side. The named suites (default: client) run
// alternately on `base` (a worktree under .seatkey-bench-base/, installed on first use; or, when
// `base` is a directory holding a checkout, that checkout as it is) and on
// this checkout, N rounds each (default 3), on the same machine in one session; each run's
// bench-results.json is kept under .seatkey-bench-compare/. Then, per ratio: each side's median
// and range over its runs, and how often the two sides' runs, shuffled between them at random
// labels, differ at least as much in the same direction (a permutation test; a small value means
// the difference is unlikely to be the machine's noise).
//
// One run's ratio is already its code against a floor measured interleaved in that run, but a
// p95 from 200 calls moves by a tenth between runs on this machine; only several runs of each
// side, taken turn about, tell a change from the noise.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metric } from './lib.ts';

export interface Row {
  name: string;
  base: number[];
  head: number[];
  /** Whether a higher ratio is the better one (throughputs: a rate per second). */
  higherIsBetter: boolean;
  /** How likely a difference of means this large, in the worse direction, is by chance. */
  pWorse: number;
}

export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Every way of choosing `k` of `0..n-1`, or undefined when there are more than `cap`. */
function choices(n: number, k: number, cap: number): number[][] | undefined {
  let count = 1;
  for (let i = 0; i < k; i++) count = (count * (n - i)) / (i + 1);
  if (count > cap) return undefined;
  const out: number[][] = [];
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === k) return void out.push([...chosen]);
    for (let i = start; i <= n - (k - chosen.length); i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return out;
}

/** A seeded generator, so a table is the same each time it is printed from the same runs. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * The share of relabellings of the pooled runs under which `head`'s mean exceeds `base`'s by at
 * least as much as observed (`worseIsHigher`; else falls short by as much): exact when there are
 * at most 100,000 relabellings, else 20,000 drawn at random.
 */
export function permutationP(base: readonly number[], head: readonly number[], worseIsHigher = true): number {
  const sign = worseIsHigher ? 1 : -1;
  const pool = [...base, ...head];
  const total = pool.reduce((a, b) => a + b, 0);
  const k = head.length;
  const gap = (headSum: number) => sign * (headSum / k - (total - headSum) / base.length);
  const observed = gap(head.reduce((a, b) => a + b, 0)) - 1e-9;
  const all = choices(pool.length, k, 100_000);
  if (all) return all.filter((c) => gap(c.reduce((a, i) => a + pool[i]!, 0)) >= observed).length / all.length;
  const random = seeded(1);
  let hits = 0;
  const draws = 20_000;
  for (let d = 0; d < draws; d++) {
    const idx = pool.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    if (gap(idx.slice(0, k).reduce((a, i) => a + pool[i]!, 0)) >= observed) hits++;
  }
  return hits / draws;
}

/** Each ratio both sides measured, in the order of the first run that has it. */
export function compareRuns(base: readonly Metric[][], head: readonly Metric[][]): Row[] {
  const ratios = (runs: readonly Metric[][]) => {
    const by = new Map<string, { values: number[]; unit: string }>();
    for (const run of runs) {
      for (const m of run) {
        if (m.ratio === undefined || !Number.isFinite(m.ratio)) continue;
        const entry = by.get(m.name) ?? { values: [], unit: m.unit };
        entry.values.push(m.ratio);
        by.set(m.name, entry);
      }
    }
    return by;
  };
  const [b, h] = [ratios(base), ratios(head)];
  const rows: Row[] = [];
  for (const [name, { values, unit }] of b) {
    const other = h.get(name);
    if (!other) continue;
    const higherIsBetter = unit.endsWith('/s');
    rows.push({ name, base: values, head: other.values, higherIsBetter, pWorse: permutationP(values, other.values, !higherIsBetter) });
  }
  return rows;
}

/** The rows as a Markdown table. */
export function table(rows: readonly Row[], baseLabel: string, headLabel: string): string {
  const cell = (xs: readonly number[]) => `${medianOf(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}, ${xs.length} runs)`;
  return [
    `| ratio | ${baseLabel} | ${headLabel} | p (${headLabel} worse) |`,
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.name}${r.higherIsBetter ? ' (higher is better)' : ''} | ${cell(r.base)} | ${cell(r.head)} | ${r.pWorse.toFixed(2)} |`),
  ].join('\n');
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function git(...args: string[]): string {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

function benchOnce(dir: string, suites: string[], keep: string): Metric[] {
  const r = spawnSync('npm', ['run', 'bench', '--', ...suites], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) console.error(`[compare] the bench in ${dir} exited ${r.status}; keeping the figures it wrote`);
  const file = join(dir, 'bench-results.json');
  if (!existsSync(file)) return [];
  copyFileSync(file, keep);
  return (JSON.parse(readFileSync(file, 'utf8')) as { metrics: Metric[] }).metrics;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--rounds');
  const rounds = at >= 0 ? Number(args[at + 1]) : 3;
  const [ref, ...named] = args.filter((a, i) => !a.startsWith('--') && !(at >= 0 && i === at + 1));
  if (!ref || !Number.isInteger(rounds) || rounds < 1) {
    console.error('usage: npm run bench:compare -- <base commit or checkout> [suite…] [--rounds N]');
    process.exit(2);
  }
  const suites = named.length > 0 ? named : ['client'];
  // A checkout already at hand (with its dependencies installed) is used as it is.
  const given = existsSync(join(ref, 'package.json')) ? resolve(ref) : undefined;
  const sha = given ? git('-C', given, 'rev-parse', 'HEAD') : git('rev-parse', '--verify', `${ref}^{commit}`);
  const baseDir = given ?? join(ROOT, '.seatkey-bench-base', sha.slice(0, 12));
  if (!existsSync(baseDir)) git('worktree', 'add', '--detach', baseDir, sha);
  const out = join(ROOT, '.seatkey-bench-compare', `${sha.slice(0, 12)}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(out, { recursive: true });
  const runs = { base: [] as Metric[][], head: [] as Metric[][] };
  for (let round = 1; round <= rounds; round++) {
    // Turn about, the first side changing each round, so neither always runs on a fresher machine.
    const order = round % 2 === 1 ? (['base', 'head'] as const) : (['head', 'base'] as const);
    for (const side of order) {
      console.log(`\n[compare] round ${round} of ${rounds}: ${side === 'base' ? ref : 'this checkout'} (${suites.join(' ')})`);
      runs[side].push(benchOnce(side === 'base' ? baseDir : ROOT, suites, join(out, `${side}-${round}.json`)));
    }
  }
  console.log(`\n${table(compareRuns(runs.base, runs.head), ref, 'this checkout')}\n\nruns kept in ${out}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
