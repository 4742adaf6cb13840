// Bad input never becomes a 500: generated bodies (fuzzBodies.ts) go to every endpoint index.ts
// exports over HTTP, with valid credentials so they reach the schema and the handler, and with
// the fixture's real ids among the values so handlers run on real data. Every reply must be the
// contract's JSON in under the time limit, never a 5xx, never a stack trace or a secret. Bounded:
// a few bodies per endpoint, a few requests at a time. (Named to run late in `npm test`, when the
// other files have started most functions' workers: alone it first loads all 47.)
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { ADMIN_SECRET, BASE_URL, WEBHOOK_SECRET, asCreator, isErrorShape, newCreator, newProduct, randomIp, uid, type CreatorFixture } from './helpers.ts';
import { body } from './fuzzBodies.ts';

/** The HTTPS functions index.ts exports, with the kind of credentials each takes. */
function endpoints(): { name: string; kind: string; foreign: boolean }[] {
  const index = readFileSync(fileURLToPath(new URL('../functions/src/index.ts', import.meta.url)), 'utf8');
  // Dialect routes (functions/src/dialects/) too, with the kind of their core endpoint. Those of
  // other systems (not CG's, which speak the contract) answer in their system's error shape.
  return [...index.matchAll(/^export const (\w+) = (?:(admin|client|webhook|open)Function\(|dialectFunction\('\w+', '(admin|client)', \(\) => import\('\.\/dialects\/(\w+)\/)/gm)].map((m) => ({
    name: m[1]!,
    kind: (m[2] ?? m[3])!,
    foreign: m[4] !== undefined && m[4] !== 'cg',
  }));
}

const RUNS_PER_ENDPOINT = 4;
const AT_ONCE = 6;
/**
 * A reply slower than this is a hang. It allows for a cold worker on a heavily loaded machine:
 * the harness gives a worker up to 180 s to load (FUNCTIONS_DISCOVERY_TIMEOUT), and a loaded
 * two-core machine has been seen to take over 20 s.
 */
const HANG_MS = 120_000;

interface Sent {
  name: string;
  method: string;
  body: Record<string, unknown>;
}

async function send(s: Sent, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const url = new URL(`${BASE_URL}/${s.name}`);
  const init: RequestInit = { method: s.method, headers: { 'x-forwarded-for': randomIp(), ...headers }, signal: AbortSignal.timeout(HANG_MS) };
  if (s.method === 'GET') for (const [k, v] of Object.entries(s.body)) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  else {
    init.body = JSON.stringify(s.body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(url, init);
  return { status: res.status, text: await res.text() };
}

describe('bad input never becomes a 500', () => {
  let c: CreatorFixture;
  let secrets: string[];
  let ids: unknown[];

  before(async () => {
    c = await newCreator('fuzz');
    const productId = await newProduct(c);
    const code = uid('FUZZ').toUpperCase();
    await asCreator(c.apiKey, 'createDiscountCode', { code, type: 'trial', productId });
    const licence = await asCreator(c.apiKey, 'createLicense', { email: 'fuzz@example.com', productId, purchaseId: uid('o') });
    assert.equal(licence.status, 200, licence.text);
    const signing = JSON.parse(process.env.SEATKEY_SIGNING_KEY ?? '{}') as { d?: string };
    secrets = [ADMIN_SECRET, WEBHOOK_SECRET, c.apiKey, signing.d ?? ADMIN_SECRET];
    ids = [productId, code, licence.body.licenseKey, licence.body.license.purchaseId, c.creatorId, 'default'];
  });

  // Its own time limit: 47 functions' first workers load here, which on a loaded machine is slow.
  it('answers generated bodies at every endpoint with the contract JSON, < 500, no stack, no secret', { timeout: 600_000 }, async () => {
    const all = endpoints();
    assert.ok(all.length >= 45, `found ${all.length} endpoints`);
    const credentials: Record<string, Record<string, string>> = {
      admin: { 'x-api-key': c.apiKey },
      webhook: { 'x-webhook-secret': WEBHOOK_SECRET },
      client: {},
      open: {},
    };
    // Every endpoint's bodies, drawn up front (fast-check's shrinking has nothing to work on across
    // HTTP; a failure names the endpoint and the body instead).
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1e9);
    const queue = all.map(({ name, kind }) => ({ name, kind, bodies: fc.sample(body(ids), { numRuns: RUNS_PER_ENDPOINT, seed: seed + name.length }) }));
    const failures: string[] = [];
    const foreign = new Set(all.filter((e) => e.foreign).map((e) => e.name));
    assert.ok(foreign.size >= 14, 'the other systems\' routes were found');
    const check = async (s: Sent, headers: Record<string, string>) => {
      const r = await send(s, headers).catch((e: unknown) => ({ status: 0, text: `no reply: ${String(e)}` }));
      if (r.status === 0) return void failures.push(`${s.method} ${s.name} ${JSON.stringify(s.body).slice(0, 300)}: ${r.text}`);
      const what = `${s.method} ${s.name} ${JSON.stringify(s.body).slice(0, 300)} → ${r.status} ${r.text.slice(0, 200)}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(r.text);
      } catch {
        parsed = undefined;
      }
      if (r.status >= 500) failures.push(what);
      else if (parsed === undefined) failures.push(`not JSON: ${what}`);
      else if (r.status >= 400 && !foreign.has(s.name) && !isErrorShape(parsed, (parsed as { code?: string }).code ?? '') && (parsed as { valid?: unknown }).valid !== false) failures.push(`not the error shape: ${what}`);
      else if (/\bat .+\.(js|ts):\d+|Error: /.test(r.text)) failures.push(`stack trace: ${what}`);
      else if (secrets.some((x) => r.text.includes(x))) failures.push(`secret in reply: ${what}`);
    };
    // A few endpoints at a time, each endpoint's bodies one after another: the Functions emulator
    // starts a worker per simultaneous request to one function, so this starts one per endpoint.
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        for (const [i, b] of next.bodies.entries()) {
          // Half the admin calls as the super admin, so super-only endpoints reach their handlers too.
          const headers = next.kind === 'admin' && i % 2 === 1 ? { 'x-admin-secret': ADMIN_SECRET } : credentials[next.kind]!;
          await check({ name: next.name, method: i === 0 ? 'GET' : 'POST', body: b }, headers);
        }
      }
    };
    await Promise.all(Array.from({ length: AT_ONCE }, worker));
    assert.deepEqual(failures, [], failures.join('\n'));
  });

  it('refuses the inputs that once became 500s with 400 naming the field, writing nothing', async () => {
    const productId = await newProduct(c);
    const base = { email: 'bad@example.com', productId };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ metadata: { '': 1 } }, /metadata/],
      [{ metadata: JSON.parse(`${'{"a":'.repeat(30)}1${'}'.repeat(30)}`) }, /metadata\.a/],
      [{ metadata: { list: [[1, 2]] } }, /metadata\.list\[0\]/],
      [{ duration: { value: 10_000, unit: 'years' } }, /duration\.value/],
      [{ purchasedAt: '0000-01-01' }, /purchasedAt/],
      [{ expiresAt: '0000-01-01' }, /expiresAt/],
      [{ purchasedAt: '9999-06-01', duration: { value: 100, unit: 'years' } }, /duration/],
    ];
    for (const [extra, field] of cases) {
      const r = await asCreator(c.apiKey, 'createLicense', { ...base, ...extra });
      assert.equal(r.status, 400, `${JSON.stringify(extra).slice(0, 80)}: ${r.text}`);
      assert.ok(isErrorShape(r.body, 'invalid_request'));
      assert.match(r.body.error, field);
    }
    const listed = await asCreator(c.apiKey, 'listLicenses', { productId });
    assert.deepEqual(listed.body.licenses, [], 'nothing was issued');
  });
});
