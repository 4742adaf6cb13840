// Hot spots: the loads that land on one document or one index range.
//  - a site licence rolled out to many machines at once (every activation of one licence);
//  - many floating machines contending for a licence's concurrent seats and heartbeating the
//    leases they hold;
//  - a product selling many times a second (its sales totals).
// Each prints its figure and checks the outcome it must have (every machine seated, never a seat
// too many, no lost lease, every sale counted); a failed check is reported as a metric. Sizes come from the
// environment so a CI-sized run stays short; the defaults are the issue's.
import { db } from '../functions/src/store/firestore.ts';
import { median, percentile, type Results } from './lib.ts';
import { newCreator, post, randomIp } from './http.ts';

const SITE_MACHINES = Number(process.env.SEATKEY_BENCH_SITE_MACHINES ?? 500);
const FLOATING_MACHINES = Number(process.env.SEATKEY_BENCH_FLOATING_MACHINES ?? 1000);
const FLOATING_SEATS = Number(process.env.SEATKEY_BENCH_FLOATING_SEATS ?? 100);
const SALES_PER_SECOND = Number(process.env.SEATKEY_BENCH_SALES_PER_SECOND ?? 20);
const SALES_SECONDS = Number(process.env.SEATKEY_BENCH_SALES_SECONDS ?? 10);
/** Requests in flight at once: the Functions emulator starts a worker process for each. */
const WIDTH = Number(process.env.SEATKEY_BENCH_HOTSPOT_WIDTH ?? 32);
const WEBHOOK_SECRET = process.env.SEATKEY_WEBHOOK_SECRET ?? '';
const REQUEST_TIMEOUT_MS = 120_000;
/** Which cases run (comma-separated: site, floating, sales); all by default. */
const CASES = (process.env.SEATKEY_BENCH_HOTSPOT_CASES ?? 'site,floating,sales').split(',').map((c) => c.trim());


interface Reply {
  status: number;
  body: any;
  ms: number;
}

async function call(name: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const started = performance.now();
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${process.env.SEATKEY_BASE_URL}/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp(), ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await res.text();
  } catch (e) {
    // No answer at all (the emulator dropped the connection, or it timed out): counted as such.
    return { status: 0, body: { code: (e as Error).name === 'TimeoutError' ? 'timeout' : 'no_answer' }, ms: performance.now() - started };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, ms: performance.now() - started };
}

/** Runs `fn(i)` for i < n, `width` at a time. */
async function pool<T>(n: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

const tally = (replies: Reply[]) => {
  const by: Record<string, number> = {};
  for (const r of replies) {
    const k = r.status === 200 ? '200' : `${r.status} ${(r.body as { code?: string })?.code ?? ''}`.trim();
    by[k] = (by[k] ?? 0) + 1;
  }
  return by;
};

async function siteRollout(results: Results, apiKey: string, creatorId: string): Promise<void> {
  const productId = `${creatorId}-site`;
  await post('createProduct', { name: 'Site app', slug: productId, licenseType: 'site' }, { 'x-api-key': apiKey });
  const licenseKey = (await post('createLicense', { email: 'studio@example.com', productId }, { 'x-api-key': apiKey })).licenseKey as string;
  const started = performance.now();
  const replies = await pool(SITE_MACHINES, WIDTH, (i) => call('activate', { licenseKey, machineFingerprint: `studio-${i}-${Math.random()}`, productId }));
  const seconds = (performance.now() - started) / 1000;
  const outcome = tally(replies);
  const license = await post('getLicense', { licenseKey }, { 'x-api-key': apiKey });
  results.add({
    name: `site licence rolled out to ${SITE_MACHINES} machines, ${WIDTH} at a time: time to seat them all`,
    value: Number(seconds.toFixed(1)),
    unit: 's',
    target: '≤ 60, every machine seated',
    detail: { outcome, machinesUsed: license.license?.machinesUsed ?? license.machinesUsed, activationsPerSecond: Number((SITE_MACHINES / seconds).toFixed(1)), medianMs: median(replies.map((r) => r.ms)), p95Ms: percentile(replies.map((r) => r.ms), 95) },
  });
  console.log(`    outcome ${JSON.stringify(outcome)}, ${(SITE_MACHINES / seconds).toFixed(1)} activations/s`);
  const used = license.license?.machinesUsed ?? license.machinesUsed;
  if (outcome['200'] !== SITE_MACHINES) throw new Error(`site rollout: ${JSON.stringify(outcome)}`);
  if (used !== SITE_MACHINES) throw new Error(`site rollout: machinesUsed ${used}, expected ${SITE_MACHINES}`);
}

async function floatingCrowd(results: Results, apiKey: string, creatorId: string): Promise<void> {
  const productId = `${creatorId}-float`;
  // Leases of 15 minutes: the first round takes minutes on the emulator, and a lease that lapsed
  // meanwhile would rightly be reclaimed by a newcomer, which is not what this case measures.
  await post('createProduct', { name: 'Floating app', slug: productId, licenseType: 'floating', maxConcurrent: FLOATING_SEATS, heartbeatIntervalSeconds: 900 }, { 'x-api-key': apiKey });
  const licenseKey = (await post('createLicense', { email: 'office@example.com', productId }, { 'x-api-key': apiKey })).licenseKey as string;
  const machines = Array.from({ length: FLOATING_MACHINES }, (_, i) => `desk-${i}-${Math.random()}`);
  const started = performance.now();
  const first = await pool(machines.length, WIDTH, (i) => call('activate', { licenseKey, machineFingerprint: machines[i], productId }));
  const activateSeconds = (performance.now() - started) / 1000;
  const holders = machines.filter((_, i) => first[i]!.status === 200);
  const refused = tally(first.filter((r) => r.status !== 200));
  // Every holder heartbeats; every other machine tries again meanwhile (it must not get in).
  const beats = await pool(machines.length, WIDTH, (i) =>
    first[i]!.status === 200 ? call('heartbeat', { licenseKey, machineFingerprint: machines[i] }) : call('activate', { licenseKey, machineFingerprint: machines[i], productId }),
  );
  const heartbeats = beats.filter((_, i) => first[i]!.status === 200);
  const retries = beats.filter((_, i) => first[i]!.status !== 200);
  const lost = heartbeats.filter((r) => r.status !== 200).length;
  const gotIn = retries.filter((r) => r.status === 200).length;
  const license = await post('getLicense', { licenseKey }, { 'x-api-key': apiKey });
  const used = license.license?.machinesUsed ?? license.machinesUsed;
  results.add({
    name: `floating: ${FLOATING_MACHINES} machines on ${FLOATING_SEATS} seats: heartbeat median latency`,
    value: Number(median(heartbeats.map((r) => r.ms)).toFixed(1)),
    unit: 'ms',
    target: `${FLOATING_SEATS} seats held, no lost lease, never a seat too many`,
    detail: {
      seated: holders.length,
      refusedFirst: refused,
      lostLeases: lost,
      seatedOnRetry: gotIn,
      machinesUsed: used,
      heartbeatP95Ms: percentile(heartbeats.map((r) => r.ms), 95),
      activateSeconds: Number(activateSeconds.toFixed(1)),
      retryOutcome: tally(retries),
    },
  });
  console.log(`    seated ${holders.length}, refused ${JSON.stringify(refused)}, lost leases ${lost}, seated on retry ${gotIn}, machinesUsed ${used}`);
  if (holders.length !== FLOATING_SEATS || lost !== 0 || gotIn !== 0 || used !== FLOATING_SEATS) throw new Error('floating crowd: seats not held as they must be');
}

async function salesRush(results: Results, apiKey: string, creatorId: string): Promise<void> {
  const productId = `${creatorId}-hot`;
  await post('createProduct', { name: 'Hot seller', slug: productId }, { 'x-api-key': apiKey });
  const total = SALES_PER_SECOND * SALES_SECONDS;
  const started = performance.now();
  // Open loop: a sale every 1/rate seconds whether or not the earlier ones have been answered.
  const pending: Promise<Reply>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / SALES_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      call('paymentWebhook', { type: 'purchase.completed', email: `buyer${i}@example.com`, productId, purchaseId: `rush-${i}-${Math.random()}`, amount: 900, currency: 'USD' }, { 'x-webhook-secret': WEBHOOK_SECRET }),
    );
  }
  const replies = await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  const outcome = tally(replies);
  const today = new Date().toISOString().slice(0, 10);
  const stats = await post('getStats', { from: today, to: today, productId }, { 'x-api-key': apiKey });
  const shards = (await (await db()).collection('salesTotals').where('productId', '==', productId).where('key', '==', `d:${today}`).get()).size;
  results.add({
    name: `one product selling ${SALES_PER_SECOND}/s for ${SALES_SECONDS} s: paymentWebhook p95 latency`,
    value: Number(percentile(replies.map((r) => r.ms), 95).toFixed(1)),
    unit: 'ms',
    target: 'every sale answered 200 and counted once',
    detail: { outcome, achievedPerSecond: Number((total / seconds).toFixed(1)), medianMs: median(replies.map((r) => r.ms)), unitsSoldToday: stats.totals?.unitsSold, dayBucketShards: shards },
  });
  console.log(`    outcome ${JSON.stringify(outcome)}, counted ${stats.totals?.unitsSold} of ${total}, day bucket over ${shards} documents`);
  if (outcome['200'] !== total || stats.totals?.unitsSold !== total) throw new Error(`sales rush: ${JSON.stringify(outcome)}, counted ${stats.totals?.unitsSold}`);
}

export async function run(results: Results): Promise<void> {
  console.log('\nhotspots');
  const { apiKey, creatorId } = await newCreator('hot');
  const failures: string[] = [];
  const cases = { site: siteRollout, floating: floatingCrowd, sales: salesRush };
  for (const c of Object.entries(cases).filter(([name]) => CASES.includes(name)).map(([, c]) => c)) {
    try {
      await c(results, apiKey, creatorId);
    } catch (e) {
      failures.push((e as Error).message);
      console.log(`    FAILED: ${(e as Error).message}`);
    }
  }
  // Recorded rather than thrown, so the figures of the other cases are still written.
  results.add({ name: 'hot spots: outcome checks failed', value: failures.length, unit: 'checks', target: '= 0', detail: { failures } });
}
