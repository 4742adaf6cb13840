// A minimal HTTP client for benchmarks (fails loudly on an unexpected status).
export const BASE_URL = process.env.SEATKEY_BASE_URL ?? '';
export const ADMIN_SECRET = process.env.SEATKEY_ADMIN_SECRET ?? '';

/** A random client IP: client calls come from many IPs, as apps' do, so the per-IP limit is not what is measured. */
export const randomIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 254) + 1).join('.')}`;

export async function post(name: string, body: unknown, headers: Record<string, string> = {}, expect = 200): Promise<any> {
  const res = await fetch(`${BASE_URL}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${name}: expected ${expect}, got ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Firestore work a request did, as the bench's emulator reports it (functions/src/store/opCount.ts). */
export interface Ops {
  reads: number;
  writes: number;
  deletes: number;
}

/**
 * `post`, also returning the request's Firestore work and its latency (ms). Only such requests
 * are counted (`X-Seatkey-Count-Ops`): the latency suites' calls carry no counting, as their
 * floors carry none.
 */
export async function postCounted(name: string, body: unknown, headers: Record<string, string> = {}, expect = 200): Promise<{ body: any; ops: Ops; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${BASE_URL}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-seatkey-count-ops': '1', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== expect) throw new Error(`${name}: expected ${expect}, got ${res.status} ${text.slice(0, 200)}`);
  const counted = res.headers.get('x-seatkey-firestore-ops');
  if (!counted) throw new Error(`${name}: no Firestore counts on the reply (is SEATKEY_COUNT_FIRESTORE_OPS set for the emulator?)`);
  return { body: text ? JSON.parse(text) : undefined, ops: JSON.parse(counted) as Ops, ms };
}

export async function get(name: string, expect = 200): Promise<any> {
  const res = await fetch(`${BASE_URL}/${name}`);
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${name}: expected ${expect}, got ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

export async function newCreator(tag: string): Promise<{ creatorId: string; apiKey: string }> {
  const creatorId = `bench-${tag}-${Math.random().toString(36).slice(2, 8)}`;
  const r = await post('createApiKey', { creatorId, name: 'bench' }, { 'x-admin-secret': ADMIN_SECRET });
  return { creatorId, apiKey: r.apiKey };
}
