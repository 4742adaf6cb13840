// The shared limits the pipeline applies by itself: 100 calls a minute per client IP across all
// client endpoints, and 600 admin calls a minute per API key. (activate's and validate's own
// limits are tested with those endpoints.) Windows are clock-aligned minutes, so each test
// starts early in a fresh minute: a burst that straddled two windows would prove nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newLicense } from './clientHelpers.ts';
import { ADMIN_SECRET, asAdmin, call, isErrorShape, randomIp, type Reply } from './helpers.ts';

async function freshMinute(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 15_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 500));
}

/** Runs `n` calls, `width` at a time, and returns every reply. */
async function burst(n: number, width: number, one: (i: number) => Promise<Reply>): Promise<Reply[]> {
  const replies: Reply[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) replies.push(await one(next++));
    }),
  );
  return replies;
}

function assertLimited(r: Reply, limit: number): void {
  assert.equal(r.status, 429, r.text);
  assert.ok(isErrorShape(r.body, 'rate_limited') || (r.body?.valid === false && r.body?.code === 'rate_limited'), r.text);
  assert.equal(r.headers.get('x-ratelimit-limit'), String(limit));
  assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
  const reset = Number(r.headers.get('x-ratelimit-reset'));
  assert.ok(reset > Date.now() / 1000 - 1 && reset <= Date.now() / 1000 + 61, `X-RateLimit-Reset ${reset}`);
}

describe('rate limits', () => {
  it('admits exactly 100 client calls a minute from one IP, across client endpoints', async () => {
    const { licenseKey, productId } = await newLicense();
    await freshMinute();
    const ip = randomIp();
    // Three different client endpoints share the one per-IP counter.
    const replies = await burst(110, 10, (i) =>
      i % 3 === 0
        ? call('publicKey', undefined, { ip, method: 'GET' })
        : call(i % 3 === 1 ? 'verify' : 'deactivate', { licenseKey, productId, machineFingerprint: 'never-activated' }, { ip }),
    );
    const limited = replies.filter((r) => r.status === 429);
    assert.equal(replies.length - limited.length, 100, replies.map((r) => r.status).join(','));
    for (const r of limited) assertLimited(r, 100);
    const admitted = replies.find((r) => r.status === 200)!;
    assert.equal(admitted.headers.get('x-ratelimit-limit'), '100');
    assert.ok(Number(admitted.headers.get('x-ratelimit-remaining')) < 100);
    // Another IP is counted on its own.
    assert.equal((await call('verify', { licenseKey }, { ip: randomIp() })).status, 200);
  });

  it('admits exactly 600 admin calls a minute per API key; other keys and the super admin are not counted', async () => {
    const creatorId = `limits-${Math.random().toString(36).slice(2, 8)}`;
    const first = await asAdmin('createApiKey', { creatorId, name: 'busy' });
    const second = await asAdmin('createApiKey', { creatorId, name: 'quiet' });
    await freshMinute();
    const replies = await burst(620, 20, () => call('listProducts', {}, { headers: { 'x-api-key': first.body.apiKey } }));
    const limited = replies.filter((r) => r.status === 429);
    assert.equal(replies.length - limited.length, 600, `admitted ${replies.length - limited.length}`);
    assert.ok(replies.every((r) => r.status === 200 || r.status === 429));
    for (const r of limited) {
      assert.equal(r.headers.get('x-ratelimit-limit'), '600');
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    }
    assert.equal((await call('listProducts', {}, { headers: { 'x-api-key': second.body.apiKey } })).status, 200);
    assert.equal((await call('listProducts', {}, { headers: { 'x-admin-secret': ADMIN_SECRET } })).status, 200);
  });
});
