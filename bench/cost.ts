// What a call costs. The bench's Functions emulator runs with SEATKEY_COUNT_FIRESTORE_OPS=1, so
// each reply to a request that asks (postCounted) carries the Firestore reads, writes and deletes
// it did (functions/src/store/opCount.ts; never on outside the emulator). Each endpoint is called a few
// times in a steady state (its licence, product and creator already exist) and its counts are
// set beside the floor: the least Firestore work that endpoint could do and still do its job.
// The counts become a cost per million calls at the published prices below.
import { newCreator, post, postCounted, randomIp, type Ops } from './http.ts';
import { median, type Results } from './lib.ts';

/**
 * Published list prices (USD), as read on the date below, for Seatkey's region (us-central1).
 * Firestore Standard edition, regional us-central1: https://cloud.google.com/firestore/pricing
 * (nam5 multi-region is twice these: reads 0.06, writes 0.18, deletes 0.02 per 100,000).
 * Cloud Functions 2nd gen bill as Cloud Run services with request-based billing, tier 1:
 * https://cloud.google.com/run/pricing. Free tiers (Firestore: 50,000 reads, 20,000 writes,
 * 20,000 deletes a day; Cloud Run: 2 million requests, 180,000 vCPU-s, 360,000 GiB-s a month)
 * are left out: per million calls they are noise, and they are shared by everything else.
 */
export const PRICES = {
  asOf: '2026-11-30',
  firestore: { location: 'us-central1 (Standard edition)', readPer100k: 0.03, writePer100k: 0.09, deletePer100k: 0.01 },
  functions: {
    requestPerMillion: 0.4,
    vcpuSecond: 0.000024,
    gibSecond: 0.0000025,
    /** firebase-functions v2's defaults for onRequest: 256 MiB, 1 vCPU, concurrency 80. */
    vcpu: 1,
    memoryGiB: 0.25,
  },
} as const;

/** Firestore's charge for one call's work (USD). */
export const firestoreCost = (o: Ops): number =>
  (o.reads * PRICES.firestore.readPer100k + o.writes * PRICES.firestore.writePer100k + o.deletes * PRICES.firestore.deletePer100k) / 100_000;

/**
 * Cloud Functions' charge for one call (USD) that keeps an instance busy `seconds`: the request
 * fee and the instance's CPU and memory for that long, as if it served nothing else meanwhile
 * (concurrency 1: an upper bound; at the default concurrency of 80, calls waiting on Firestore
 * share an instance, and the compute part falls by up to that factor).
 */
export const functionsCost = (seconds: number): number =>
  PRICES.functions.requestPerMillion / 1e6 + seconds * (PRICES.functions.vcpu * PRICES.functions.vcpuSecond + PRICES.functions.memoryGiB * PRICES.functions.gibSecond);

const CALLS = Number(process.env.SEATKEY_BENCH_COST_CALLS ?? 5);
const WEBHOOK_SECRET = process.env.SEATKEY_WEBHOOK_SECRET ?? '';

interface Case {
  name: string;
  /** The least this call could do, and why. */
  floor: Ops & { why: string };
  /** One call (fresh inputs each time where the call changes state). */
  call: () => Promise<{ ops: Ops; ms: number }>;
}

const ops = (reads: number, writes: number, deletes: number, why: string) => ({ reads, writes, deletes, why });
const total = (o: Ops) => o.reads + o.writes + o.deletes;

export async function run(results: Results): Promise<void> {
  console.log('\ncost (Firestore work per call)');
  const creator = await newCreator('cost');
  const key = { 'x-api-key': creator.apiKey };
  const productId = `${creator.creatorId}-app`;
  const floatingId = `${creator.creatorId}-float`;
  await post('createProduct', { name: 'Cost app', slug: productId, maxMachines: 1000 }, key);
  await post('createProduct', { name: 'Cost floating', slug: floatingId, licenseType: 'floating', maxConcurrent: 1000 }, key);
  const client = (name: string, body: unknown) => postCounted(name, body, { 'x-forwarded-for': randomIp() });
  const admin = (name: string, body: unknown) => postCounted(name, body, key);

  const license = (await post('createLicense', { email: 'cost@example.com', productId }, key)).licenseKey as string;
  const floating = (await post('createLicense', { email: 'cost@example.com', productId: floatingId }, key)).licenseKey as string;
  let n = 0;
  const machine = () => `cost-machine-${n++}-${Math.random().toString(36).slice(2)}`;
  // Machines already seated, for the calls that need one.
  const seated = async (licenseKey: string, product: string) => {
    const fingerprint = machine();
    const r = await post('activate', { licenseKey, machineFingerprint: fingerprint, productId: product }, { 'x-forwarded-for': randomIp() });
    return { fingerprint, token: r.token as string };
  };
  const steady = await seated(license, productId);
  // A lease may be renewed only about twice a heartbeat interval: one lease per heartbeat call.
  const leases: { fingerprint: string; token: string }[] = [];
  for (let i = 0; i < CALLS + 1; i++) leases.push(await seated(floating, floatingId));
  let purchase = 0;

  const cases: Case[] = [
    {
      name: 'activate (a new machine)',
      floor: ops(2, 2, 0, 'read the licence and the machine; write the activation and the seat count'),
      call: () => client('activate', { licenseKey: license, machineFingerprint: machine(), productId }),
    },
    {
      name: 'activate (a machine already seated)',
      floor: ops(2, 0, 0, 'read the licence and the machine; nothing changes'),
      call: () => client('activate', { licenseKey: license, machineFingerprint: steady.fingerprint, productId }),
    },
    {
      name: 'validate',
      floor: ops(2, 0, 0, 'read the licence and the activation (a token alone cannot show a revocation)'),
      call: () => client('validate', { token: steady.token, machineFingerprint: steady.fingerprint }),
    },
    {
      name: 'verify',
      floor: ops(1, 0, 0, 'read the licence'),
      call: () => client('verify', { licenseKey: license, productId }),
    },
    {
      name: 'heartbeat (floating lease)',
      floor: ops(2, 1, 0, 'read the licence and the lease; write the renewed lease'),
      call: () => client('heartbeat', { licenseKey: floating, machineFingerprint: leases.pop()!.fingerprint }),
    },
    {
      name: 'deactivate',
      floor: ops(2, 1, 1, 'read the licence and the activation; delete the activation, write the seat count'),
      call: async () => {
        const m = await seated(license, productId);
        return client('deactivate', { licenseKey: license, machineFingerprint: m.fingerprint });
      },
    },
    {
      name: 'publicKey',
      floor: ops(0, 0, 0, 'the keys, cached in the instance'),
      call: () => client('publicKey', {}),
    },
    {
      name: 'paymentWebhook (purchase.completed)',
      floor: ops(2, 3, 0, 'read the product and the order id; write the licence, the order id and the sale'),
      call: () =>
        postCounted(
          'paymentWebhook',
          { type: 'purchase.completed', email: 'buyer@example.com', productId, purchaseId: `cost-${purchase++}-${Math.random().toString(36).slice(2)}`, amount: 2900, currency: 'USD' },
          { 'x-webhook-secret': WEBHOOK_SECRET },
        ),
    },
    {
      name: 'createLicense (admin)',
      floor: ops(2, 1, 0, 'read the API key and the product; write the licence'),
      call: () => admin('createLicense', { email: 'cost@example.com', productId }),
    },
    {
      name: 'getLicense (admin)',
      floor: ops(2, 0, 0, 'read the API key and the licence'),
      call: () => admin('getLicense', { licenseKey: license }),
    },
    {
      name: 'updateLicense (admin)',
      floor: ops(2, 1, 0, 'read the API key and the licence; write the licence'),
      call: () => admin('updateLicense', { licenseKey: license, metadata: { n: String(n++) } }),
    },
    {
      name: 'listLicenses, a page of 10 (admin)',
      floor: ops(11, 0, 0, 'read the API key and the 10 licences'),
      call: () => admin('listLicenses', { productId, limit: 10 }),
    },
    {
      name: 'listEvents, a page of 10 (admin)',
      floor: ops(11, 0, 0, 'read the API key and the 10 events'),
      call: () => admin('listEvents', { limit: 10 }),
    },
    {
      name: 'getStats, one day (admin)',
      floor: ops(2, 0, 0, "read the API key and the day's totals"),
      call: () => admin('getStats', { from: new Date().toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) }),
    },
  ];
  // Enough licences and events for full pages.
  for (let i = 0; i < 10; i++) await post('createLicense', { email: 'cost@example.com', productId }, key);

  const rows: { name: string; ops: Ops; floor: Ops; ms: number }[] = [];
  for (const c of cases) {
    await c.call(); // the first call on a worker loads modules and caches: not the steady state
    const seen: { ops: Ops; ms: number }[] = [];
    for (let i = 0; i < CALLS; i++) seen.push(await c.call());
    const counts: Ops = {
      reads: median(seen.map((s) => s.ops.reads)),
      writes: median(seen.map((s) => s.ops.writes)),
      deletes: median(seen.map((s) => s.ops.deletes)),
    };
    const ms = median(seen.map((s) => s.ms));
    const { why, ...floor } = c.floor;
    rows.push({ name: c.name, ops: counts, floor, ms });
    const spread = (k: keyof Ops) => `${Math.min(...seen.map((s) => s.ops[k]))}-${Math.max(...seen.map((s) => s.ops[k]))}`;
    results.add({
      name: `Firestore documents per call: ${c.name} (reads/writes/deletes ${counts.reads}/${counts.writes}/${counts.deletes})`,
      value: total(counts),
      unit: 'documents',
      reference: `floor ${floor.reads}/${floor.writes}/${floor.deletes}`,
      referenceValue: total(floor),
      detail: { ...counts, floor: c.floor, range: { reads: spread('reads'), writes: spread('writes'), deletes: spread('deletes') }, calls: CALLS },
    });
    const fs = firestoreCost(counts) * 1e6;
    const fn = functionsCost(ms / 1000) * 1e6;
    results.add({
      name: `cost per million calls: ${c.name}`,
      value: Number((fs + fn).toFixed(2)),
      unit: 'USD',
      reference: 'at the floor',
      referenceValue: Number((firestoreCost(floor) * 1e6 + fn).toFixed(2)),
      detail: { firestoreUSD: Number(fs.toFixed(3)), functionsUSD: Number(fn.toFixed(3)), instanceMsPerCall: Number(ms.toFixed(1)), prices: PRICES },
    });
  }
}
