// `npm run bench`: every benchmark in one run against the emulators, a table on stdout, and the
// same figures in bench-results.json. `npm run bench -- <suite> …` runs only those suites.
import { fileURLToPath } from 'node:url';
import { Results } from './lib.ts';

const SUITES: Record<string, () => Promise<{ run(results: Results): Promise<void> }>> = {
  foundation: () => import('./foundation.ts'),
  licenses: () => import('./licenses.ts'),
  sdk: () => import('./sdk.ts'),
  commerce: () => import('./commerce.ts'),
  client: () => import('./client.ts'),
  python: () => import('./python.ts'),
  cost: () => import('./cost.ts'),
  hotspots: () => import('./hotspots.ts'),
  cold: () => import('./cold.ts'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const results = new Results();
const failed: string[] = [];
for (const [name, load] of Object.entries(SUITES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  // A suite that fails is reported, and the others' figures are still written.
  try {
    await (await load()).run(results);
  } catch (e) {
    failed.push(name);
    console.error(`\nsuite ${name} failed:`, e);
  }
}
results.print();
const out = fileURLToPath(new URL('../bench-results.json', import.meta.url));
results.write(out);
console.log(`\nwrote ${out}`);
if (failed.length > 0) {
  console.error(`failed suites: ${failed.join(', ')}`);
  process.exitCode = 1;
}
