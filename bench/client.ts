// The client suite. activate, validate and verify against floors that do the least Firestore
// work each needs (bench/floors, a second functions codebase only the bench stages), measured
// interleaved through the same Functions emulator at concurrency 1 and 32; then the rate
// limiter beside the firebase-functions-rate-limiter package on the same Firestore emulator.
import { createRequire } from 'node:module';
import { recycleWorkers } from '../emulator-tests/harness/workers.mjs';
import { fingerprintHash } from '../functions/src/domain/activation.ts';
import { db } from '../functions/src/store/firestore.ts';
import { consume } from '../functions/src/store/rateLimits.ts';
import { interleaved, median, percentile, warm, type Results } from './lib.ts';
import { ADMIN_SECRET, newCreator, post, randomIp } from './http.ts';

const WIDTH = 32;
/** New machines per licence: under its 10 seats and its 20 activations an hour (twice its seats). */
const USES_PER_LICENSE = 8;

/** Client calls come from many IPs, as apps do, so the per-IP limit is not what is measured. */
const client = (name: string, body: unknown) => post(name, body, { 'x-forwarded-for': randomIp() });

interface Seat {
  licenseKey: string;
  fingerprint: string;
  token: string;
}

/**
 * Licences handed out one caller at a time, so no two simultaneous calls contend for one
 * licence document: what is measured is an activation, not a lock queue.
 */
class LicensePool {
  private free: { key: string; uses: number }[];
  constructor(keys: string[]) {
    this.free = keys.map((key) => ({ key, uses: 0 }));
  }
  /** Runs `fn` with a licence no one else is using; `seating` calls count against its uses. */
  async with<T>(fn: (key: string) => Promise<T>, seating = true): Promise<T> {
    const i = this.free.findIndex((l) => l.uses < USES_PER_LICENSE);
    if (i < 0) throw new Error('licence pool exhausted: raise its size');
    const [l] = this.free.splice(i, 1) as [{ key: string; uses: number }];
    if (seating) l.uses++;
    try {
      return await fn(l.key);
    } finally {
      this.free.push(l);
    }
  }
}

const TARGETS: Record<string, string | undefined> = { activate: '≤ 1.5', verify: '≤ 1.3', validate: undefined };
const FLOORS: Record<string, string> = {
  activate: 'floor (tx: 1 read + 1 write)',
  verify: 'floor (1 read)',
  validate: 'floor (1 batched read of 2 docs)',
};

async function pair(results: Results, name: string, op: () => Promise<unknown>, floor: () => Promise<unknown>, rounds: Record<1 | 32, number>): Promise<void> {
  await recycleWorkers();
  // A worker per simultaneous request: start 32 of each before timing anything.
  await warm(op, 2 * WIDTH, WIDTH);
  await warm(floor, 2 * WIDTH, WIDTH);
  for (const c of [1, WIDTH] as const) {
    const lat = await interleaved({ [name]: op, floor }, rounds[c], c);
    for (const [stat, fn] of [['median', median], ['p95', (xs: number[]) => percentile(xs, 95)]] as const) {
      results.add({
        name: `${name} ${stat} latency, concurrency ${c}`,
        value: fn(lat[name]!),
        unit: 'ms',
        reference: FLOORS[name],
        referenceValue: fn(lat.floor!),
        ...(TARGETS[name] ? { target: TARGETS[name] } : {}),
      });
    }
  }
}

/**
 * The part of firebase-functions-rate-limiter used here, declared locally: its own types pull in
 * @google-cloud/firestore 4, whose global FirebaseFirestore namespace clashes with version 9's.
 */
interface RateLimiterPackage {
  FirebaseFunctionsRateLimiter: {
    withFirestoreBackend(
      config: { name: string; maxCalls: number; periodSeconds: number },
      firestore: unknown,
    ): { isQuotaExceededOrRecordUsage(qualifier: string): Promise<boolean> };
  };
}

async function limiters(results: Results): Promise<void> {
  // CommonJS, built against firebase-admin 10; it takes any Firestore-like client.
  const { FirebaseFunctionsRateLimiter } = createRequire(import.meta.url)('firebase-functions-rate-limiter') as RateLimiterPackage;
  const firestore = await db();
  const rule = { limit: 15, windowSeconds: 3600 };
  const ours = { admitted: [] as number[], ms: [] as number[] };
  const theirs = { admitted: [] as number[], ms: [] as number[], errors: 0 };
  const timed = async <T>(into: number[], f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      into.push(performance.now() - t);
    }
  };
  const runOurs = async (round: number) => {
    const subject = `bench-${round}-${Math.random()}`;
    const out = await Promise.all(Array.from({ length: 50 }, () => timed(ours.ms, () => consume('benchCompare', subject, rule))));
    ours.admitted.push(out.filter((r) => r.allowed).length);
  };
  const runTheirs = async (round: number) => {
    const limiter = FirebaseFunctionsRateLimiter.withFirestoreBackend({ name: `bench_compare_${round}_${Date.now()}`, maxCalls: rule.limit, periodSeconds: rule.windowSeconds }, firestore);
    const out = await Promise.allSettled(Array.from({ length: 50 }, () => timed(theirs.ms, () => limiter.isQuotaExceededOrRecordUsage('subject'))));
    theirs.admitted.push(out.filter((r) => r.status === 'fulfilled' && r.value === false).length);
    theirs.errors += out.filter((r) => r.status === 'rejected').length;
  };
  for (let round = 0; round < 6; round++) {
    if (round % 2 === 0) {
      await runOurs(round);
      await runTheirs(round);
    } else {
      await runTheirs(round);
      await runOurs(round);
    }
  }
  results.add({ name: 'rate limiter: calls admitted of 50 simultaneous, limit 15 (ours, median of 6 bursts)', value: median(ours.admitted), unit: 'calls', target: '= 15' });
  results.add({
    name: `rate limiter: calls admitted by firebase-functions-rate-limiter (median of 6; range ${Math.min(...theirs.admitted)}-${Math.max(...theirs.admitted)}, ${theirs.errors} errors)`,
    value: median(theirs.admitted),
    unit: 'calls',
  });
  results.add({
    name: 'rate limiter: median latency per check in a burst of 50',
    value: median(ours.ms),
    unit: 'ms',
    reference: 'firebase-functions-rate-limiter',
    referenceValue: median(theirs.ms),
  });
  if (Math.min(...ours.admitted) !== rule.limit || Math.max(...ours.admitted) !== rule.limit) throw new Error(`our limiter admitted ${ours.admitted.join(', ')}`);
}

export async function run(results: Results): Promise<void> {
  console.log('\nclient');
  const creator = await newCreator('client');
  const productId = `${creator.creatorId}-app`;
  await post('createProduct', { name: 'Bench app', slug: productId, maxMachines: 10 }, { 'x-api-key': creator.apiKey });
  const keys: string[] = [];
  for (let i = 0; i < 120; i += 10) {
    const batch = await Promise.all(Array.from({ length: 10 }, () => post('createLicense', { email: 'bench@example.com', productId }, { 'x-admin-secret': ADMIN_SECRET })));
    keys.push(...batch.map((r) => r.licenseKey as string));
  }
  const pool = new LicensePool(keys);
  const seats: Seat[] = [];
  let n = 0;
  const activate = () =>
    pool.with(async (licenseKey) => {
      const fingerprint = `bench-machine-${n++}-${Math.random()}`;
      const r = await client('activate', { licenseKey, machineFingerprint: fingerprint, productId });
      seats.push({ licenseKey, fingerprint, token: r.token as string });
    });
  const floorActivate = () => pool.with((licenseKey) => client('floorActivate', { licenseKey, fingerprint: `floor-${n++}` }), false);
  await pair(results, 'activate', activate, floorActivate, { 1: 200, 32: 16 * WIDTH });

  let v = 0;
  const nextSeat = () => seats[v++ % seats.length]!;
  const validate = () => {
    const s = nextSeat();
    return client('validate', { token: s.token, machineFingerprint: s.fingerprint });
  };
  const floorValidate = () => {
    const s = nextSeat();
    return client('floorValidate', { licenseKey: s.licenseKey, fingerprint: fingerprintHash(s.fingerprint) });
  };
  await pair(results, 'validate', validate, floorValidate, { 1: 200, 32: 16 * WIDTH });

  let k = 0;
  const verify = () => client('verify', { licenseKey: keys[k++ % keys.length], productId });
  const floorVerify = () => client('floorVerify', { licenseKey: keys[k++ % keys.length] });
  await pair(results, 'verify', verify, floorVerify, { 1: 200, 32: 16 * WIDTH });

  await limiters(results);
}
