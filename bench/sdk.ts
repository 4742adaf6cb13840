// The client SDK's benchmark: offline validate() throughput (a cached token, bundled keys, no
// network) against raw crypto.verify of the same token's Ed25519 signature, on this one
// thread, by the wall clock and by CPU time. No Seatkey server is needed: an in-process fake answers the one activation and is
// closed before anything is measured.
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { MemoryStorage, SeatkeyClient } from '../packages/client/src/index.ts';
import { FakeSeatkey } from '../packages/client/test/fakeSeatkey.ts';
import { median, type Results } from './lib.ts';

const BATCH = 2_000;
const ROUNDS = Number(process.env.SEATKEY_BENCH_SDK_ROUNDS ?? 11);

/**
 * Calls per second of `op` over one batch: by the wall clock, and by this process's CPU time
 * (user + system, every thread). The second is what one core can do, and moves far less when
 * other processes share the machine; the first also counts any hop to another thread and back.
 */
async function rate(op: () => unknown): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < BATCH; i++) await op();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall: BATCH / (wallMs / 1000), cpu: BATCH / ((used.user + used.system) / 1e6) };
}

export async function run(results: Results): Promise<void> {
  console.log('\nsdk (offline validate)');
  const fake = await FakeSeatkey.start();
  const license = fake.addLicense({ productId: 'bench-app' });
  const storage = new MemoryStorage();
  const client = new SeatkeyClient({ baseUrl: fake.baseUrl, productId: 'bench-app', fingerprint: 'bench-machine', storage, publicKeys: fake.jwks });
  await client.activate(license.key);
  await fake.close();

  const token: string = JSON.parse((await storage.read())!).activation.token;
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const signed = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature, 'base64url');
  const key = createPublicKey({ key: fake.jwks.keys[0] as JsonWebKey, format: 'jwk' });

  const ops = {
    validate: async () => {
      const r = await client.validate();
      if (!r.valid || r.source !== 'cached') throw new Error(`validate() did not verify offline: ${JSON.stringify(r)}`);
    },
    verify: () => {
      if (!verify(null, signed, key, sig)) throw new Error('crypto.verify rejected the signature');
    },
  };
  // Warm both paths, then alternate batches so both see the same machine.
  await rate(ops.validate);
  await rate(ops.verify);
  const rates: Record<keyof typeof ops, { wall: number; cpu: number }[]> = { validate: [], verify: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? (['validate', 'verify'] as const) : (['verify', 'validate'] as const);
    for (const name of order) rates[name].push(await rate(ops[name]));
  }
  const of = (name: keyof typeof ops, clock: 'wall' | 'cpu') => Math.round(median(rates[name].map((x) => x[clock])));
  results.add({
    name: 'offline validate() throughput (one core)',
    value: of('validate', 'wall'),
    unit: 'verifications/s',
    reference: 'crypto.verify of the same Ed25519 signature',
    referenceValue: of('verify', 'wall'),
    target: '≥ 0.9',
  });
  results.add({
    name: 'offline validate() throughput per CPU second',
    value: of('validate', 'cpu'),
    unit: 'verifications/CPU s',
    reference: 'crypto.verify of the same Ed25519 signature',
    referenceValue: of('verify', 'cpu'),
    target: '≥ 0.9',
  });
}
