// The cold path: the first request to each client endpoint on a fresh instance against the same
// request on a warm one, and what loads during it. A fresh instance here is a fresh Functions
// emulator worker (every idle worker is stopped first), which loads the functions entry module,
// then on its first request the request pipeline, the endpoint's module, zod, the Admin SDK and
// Firestore's gRPC client, and (activate, validate) jose and the signing key. The loads are also timed one by one
// in fresh Node processes, so the figure can be read as a sum of parts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { recycleWorkers } from '../emulator-tests/harness/workers.mjs';
import { median, type Results } from './lib.ts';
import { newCreator, post, randomIp } from './http.ts';

const ROUNDS = Number(process.env.SEATKEY_BENCH_COLD_ROUNDS ?? 3);
const WARM_CALLS = 5;
const FUNCTIONS_DIR = fileURLToPath(new URL('../functions/', import.meta.url));

interface Load {
  /** Milliseconds the import took. */
  ms: number;
  /** CommonJS modules it added to `require.cache` (the Admin SDK, gRPC, protobuf.js are CommonJS; ES modules are not counted). */
  cjsModules: number;
}

/** What a fresh Node process spends importing `specifiers`, each measured after the ones before it. */
function loadTimes(specifiers: string[]): Load[] {
  const script =
    `import { createRequire } from 'node:module';const cache=createRequire(import.meta.url).cache;const out=[];` +
    `for (const s of ${JSON.stringify(specifiers)}){const n=Object.keys(cache).length;const t=performance.now();await import(s);out.push({ms:performance.now()-t,cjsModules:Object.keys(cache).length-n});}` +
    `process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: FUNCTIONS_DIR, encoding: 'utf8', env: { ...process.env, FUNCTIONS_EMULATOR: '' } });
  if (r.status !== 0) throw new Error(`loading failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Load[];
}

/** Stops every idle worker, then gives the emulator a moment to notice before the next request. */
async function fresh(): Promise<void> {
  await recycleWorkers();
  await new Promise((r) => setTimeout(r, 3000));
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

export async function run(results: Results): Promise<void> {
  console.log('\ncold path');
  const { apiKey, creatorId } = await newCreator('cold');
  const productId = `${creatorId}-app`;
  const floatingId = `${creatorId}-float`;
  await post('createProduct', { name: 'Cold app', slug: productId, maxMachines: 1000 }, { 'x-api-key': apiKey });
  await post('createProduct', { name: 'Cold floating', slug: floatingId, licenseType: 'floating', maxConcurrent: 1000 }, { 'x-api-key': apiKey });
  const licenseKey = (await post('createLicense', { email: 'cold@example.com', productId }, { 'x-api-key': apiKey })).licenseKey as string;
  const floating = (await post('createLicense', { email: 'cold@example.com', productId: floatingId }, { 'x-api-key': apiKey })).licenseKey as string;
  let n = 0;
  const client = (name: string, body: unknown) => post(name, body, { 'x-forwarded-for': randomIp() });
  const seat = async (key: string, product: string) => {
    const machineFingerprint = `cold-${n++}-${Math.random()}`;
    const r = await client('activate', { licenseKey: key, machineFingerprint, productId: product });
    return { machineFingerprint, token: r.token as string };
  };
  const steady = await seat(licenseKey, productId);
  // A lease may be renewed only about twice a heartbeat interval: a fresh lease per heartbeat.
  // One after another: simultaneous activations of one licence queue on its document.
  const leases: { machineFingerprint: string; token: string }[] = [];
  for (let i = 0; i < ROUNDS * (WARM_CALLS + 1); i++) leases.push(await seat(floating, floatingId));

  let spare = licenseKey;
  const endpoints: Record<string, () => Promise<unknown>> = {
    activate: () => client('activate', { licenseKey, machineFingerprint: `cold-${n++}-${Math.random()}`, productId }),
    validate: () => client('validate', { token: steady.token, machineFingerprint: steady.machineFingerprint }),
    verify: () => client('verify', { licenseKey, productId }),
    heartbeat: () => client('heartbeat', { licenseKey: floating, machineFingerprint: leases.pop()!.machineFingerprint }),
    // Deactivations of one licence are limited (10 an hour): a licence per round's calls.
    deactivate: async () => {
      const m = await seat(spare, productId);
      return client('deactivate', { licenseKey: spare, machineFingerprint: m.machineFingerprint });
    },
    publicKey: () => client('publicKey', {}),
  };
  for (const [name, call] of Object.entries(endpoints)) {
    const cold: number[] = [];
    const warm: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // deactivate seats its machine first (through activate), so its worker is the one made cold.
      await fresh();
      if (name === 'deactivate') {
        spare = (await post('createLicense', { email: 'cold@example.com', productId }, { 'x-api-key': apiKey })).licenseKey as string;
        const m = await seat(spare, productId);
        await fresh();
        cold.push(await timed(() => client('deactivate', { licenseKey: spare, machineFingerprint: m.machineFingerprint })));
      } else {
        cold.push(await timed(call));
      }
      for (let i = 0; i < WARM_CALLS; i++) warm.push(await timed(call));
    }
    results.add({ name: `cold path: first ${name} on a fresh instance`, value: Number(median(cold).toFixed(1)), unit: 'ms', reference: 'the same on a warm instance', referenceValue: Number(median(warm).toFixed(1)) });
  }

  // What a first request loads, part by part, in fresh processes (medians of 5).
  const parts = ['./lib/index.js', 'zod', 'firebase-admin/app', 'firebase-admin/firestore', 'jose', './lib/http/pipeline.js', './lib/endpoints/activate.js'];
  const runs = Array.from({ length: 5 }, () => loadTimes(parts));
  const detail = Object.fromEntries(parts.map((p, i) => [p, { ms: Number(median(runs.map((r) => r[i]!.ms)).toFixed(1)), cjsModules: runs[0]![i]!.cjsModules }]));
  const totalMs = Object.values(detail).reduce((a, b) => a + b.ms, 0);
  results.add({ name: 'cold path: module loads of a first activate (entry, zod, Admin SDK, Firestore, jose, pipeline, endpoint)', value: Number(totalMs.toFixed(1)), unit: 'ms', detail });
  console.log(`    loads: ${JSON.stringify(detail)}`);
}
