// The foundation's benchmarks: cold start of the functions entry module, and listProducts
// through the Functions emulator against the `health` floor.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compareLatency, median, type Results } from './lib.ts';
import { get, newCreator, post } from './http.ts';

const ENTRY = fileURLToPath(new URL('../functions/lib/index.js', import.meta.url));
const FUNCTIONS_DIR = fileURLToPath(new URL('../functions/', import.meta.url));

/** Milliseconds for a fresh Node process to import `specifier` (measured inside that process). */
function loadTime(specifier: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(specifier)});process.stdout.write(String(performance.now()-t));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: FUNCTIONS_DIR, encoding: 'utf8', env: { ...process.env, FUNCTIONS_EMULATOR: '' } });
  if (r.status !== 0) throw new Error(`loading ${specifier} failed: ${r.stderr}`);
  return Number(r.stdout);
}

export async function run(results: Results): Promise<void> {
  console.log('\nfoundation');
  // Cold start: alternate the two loads in fresh processes so both see the same conditions.
  const entry: number[] = [];
  const https: number[] = [];
  for (let i = 0; i < 15; i++) {
    entry.push(loadTime(ENTRY));
    https.push(loadTime('firebase-functions/v2/https'));
  }
  results.add({
    name: 'cold start: load functions entry module',
    value: median(entry),
    unit: 'ms',
    reference: 'load firebase-functions/v2/https alone',
    referenceValue: median(https),
    target: '≤ 1.3',
  });

  const creator = await newCreator('foundation');
  for (let i = 0; i < 5; i++) {
    await post('createProduct', { name: `Bench ${i}`, slug: `${creator.creatorId}-p${i}` }, { 'x-api-key': creator.apiKey });
  }
  const listProducts = () => post('listProducts', {}, { 'x-api-key': creator.apiKey });
  await compareLatency(results, 'listProducts median latency (emulator)', listProducts, { name: 'health', op: () => get('health') }, 150);
}
