// The per-IP limit the pipeline applies by itself: 100 calls a minute per client IP across all
// client endpoints; which address a call is counted by (the right-most X-Forwarded-For entry, an
// IPv6 client by its /64); and the counters themselves (their TTL field, and the sweep that
// deletes them where no TTL policy runs). (The 600 admin calls a minute per API key are in
// apiKeyLimits.test.ts; the limits of activate and deactivate in licenseLimits.test.ts; of
// validate and heartbeat with those endpoints.)
//
// No test here depends on finishing inside one wall-clock window: a test either counts per
// window (grouping replies by X-RateLimit-Reset) or sends the emulator's rate-limit clock
// (X-Seatkey-Clock) to hold its calls in a window of its own.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sha256Base64Url } from '../functions/src/domain/crypto.ts';
import { run as sweepExpired } from '../functions/src/jobs/sweepExpired.ts';
import { db } from '../functions/src/store/firestore.ts';
import { machine, newLicense } from './clientHelpers.ts';
import { assertRateLimited, byWindow, call, inWaves, isErrorShape, privateWindow, randomIp, type Reply } from './helpers.ts';

/**
 * A client call that only the per-IP limit counts, whatever it answers: mostly publicKey (no
 * Firestore read, so a burst is quick), with verify and a heartbeat that renews nothing between.
 */
const ipCounted = (licenseKey: string, ip: string, i: number): Promise<Reply> =>
  i % 10 === 1
    ? call('verify', { licenseKey }, { ip })
    : i % 10 === 2
      ? call('heartbeat', { licenseKey, machineFingerprint: 'never-activated' }, { ip })
      : call('publicKey', undefined, { ip, method: 'GET' });

/** Spends the per-IP limit of `ip` in the window of `clock` (publicKey: no Firestore read). */
async function spendIp(ip: string, clock: number): Promise<void> {
  const replies = await inWaves(100, 5, () => call('publicKey', undefined, { ip, method: 'GET', clock }));
  assert.ok(replies.every((r) => r.status === 200), replies.map((r) => r.status).join(','));
}

describe('rate limits', () => {
  it('admits exactly 100 client calls a minute from one IP, across client endpoints, counted per window', async () => {
    const { licenseKey } = await newLicense();
    const ip = randomIp();
    // Real clock: the calls may straddle a minute boundary, so they are counted per window (by
    // X-RateLimit-Reset) and sent until some window has refused one.
    const replies: Reply[] = [];
    const refusedIn = () => [...byWindow(replies).values()].find((w) => w.limited > 0);
    for (let round = 0; !refusedIn(); round++) {
      assert.ok(round < 5, 'no window ever refused a call');
      replies.push(...(await inWaves(110, 5, (i) => ipCounted(licenseKey, ip, i))));
    }
    for (const [reset, w] of byWindow(replies)) {
      assert.ok(w.admitted <= 100, `window ending ${reset}: ${w.admitted} admitted`);
      if (w.limited > 0) assert.equal(w.admitted, 100, `window ending ${reset}: refused before 100 were admitted`);
    }
    for (const r of replies.filter((x) => x.status === 429)) {
      assert.ok(isErrorShape(r.body, 'rate_limited') || r.body?.code === 'rate_limited', r.text);
      assert.equal(r.headers.get('x-ratelimit-limit'), '100');
      assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
      assert.ok(Number(r.headers.get('retry-after')) >= 1 && Number(r.headers.get('retry-after')) <= 60);
    }
    const admitted = replies.find((r) => r.status !== 429)!;
    assert.equal(admitted.headers.get('x-ratelimit-limit'), '100');
    // Another IP is counted on its own.
    assert.equal((await call('verify', { licenseKey }, { ip: randomIp() })).status, 200);
  });

  it('counts validate against the per-IP limit whether its token is accepted or refused', async () => {
    // validate's per-IP count waits to share a commit with its per-licence count (taken once the
    // token's signature is checked); a token refused before that is still counted per IP.
    const { licenseKey, productId } = await newLicense();
    const fingerprint = machine();
    const seated = await call('activate', { licenseKey, machineFingerprint: fingerprint, productId }, { ip: randomIp() });
    assert.equal(seated.status, 200, seated.text);
    const token = seated.body.token as string;
    const forged = `${token.slice(0, token.lastIndexOf('.') + 1)}${Buffer.alloc(64, 7).toString('base64url')}`;
    for (const [which, sent, status] of [['accepted', token, 200], ['refused', forged, 403]] as const) {
      const window = privateWindow(60);
      const ip = randomIp();
      const spent = await inWaves(99, 5, () => call('publicKey', undefined, { ip, method: 'GET', clock: window.clock }));
      assert.ok(spent.every((r) => r.status === 200));
      // The 100th call of the window: a validate, which must count as one.
      const validated = await call('validate', { token: sent, machineFingerprint: fingerprint }, { ip, clock: window.clock });
      assert.equal(validated.status, status, `${which}: ${validated.text}`);
      if (status === 403) assert.equal(validated.body?.code, 'invalid_token', validated.text);
      assertRateLimited(await call('publicKey', undefined, { ip, method: 'GET', clock: window.clock }), 100, window);
    }
  });

  it('counts a call by the right-most X-Forwarded-For entry: a client-added left entry is ignored', async () => {
    const { licenseKey } = await newLicense();
    const window = privateWindow(60);
    const [spent, fresh] = [randomIp(), randomIp()];
    await spendIp(spent, window.clock);
    const at = (xff: string) => call('verify', { licenseKey }, { headers: { 'x-forwarded-for': xff }, clock: window.clock });
    assertRateLimited(await at(spent), 100, window);
    // A client that writes the spent address (or any other) to the left is still counted by the
    // address the platform wrote last.
    assert.equal((await at(`${spent}, ${fresh}`)).status, 200);
    assert.equal((await at(`${randomIp()},${fresh}`)).status, 200);
    assertRateLimited(await at(`${fresh}, ${spent}`), 100, window);
    assertRateLimited(await at(` 203.0.113.9 ,  ${spent} `), 100, window);
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped address as the IPv4 one', async () => {
    const { licenseKey } = await newLicense();
    const window = privateWindow(60);
    const [a, b] = [Math.floor(Math.random() * 0xffff), Math.floor(Math.random() * 0xfffe)];
    const net = `2001:db8:${a.toString(16)}:${b.toString(16)}`;
    await spendIp(`${net}::1`, window.clock);
    const from = (ip: string) => call('verify', { licenseKey }, { ip, clock: window.clock });
    assertRateLimited(await from(`${net}:ffff:ffff:ffff:ffff`), 100, window);
    assertRateLimited(await from(`${net.toUpperCase()}:0:0:0:abcd`), 100, window);
    assert.equal((await from(`2001:db8:${a.toString(16)}:${(b + 1).toString(16)}::1`)).status, 200, 'the next /64 is another client');

    const v4 = randomIp();
    await spendIp(v4, window.clock);
    assertRateLimited(await from(`::ffff:${v4}`), 100, window);
  });

  it('keeps every counter in rateLimits with expireAt a day after its window, which the TTL policy and the sweep use', async () => {
    const indexes = JSON.parse(readFileSync(new URL('../firestore.indexes.json', import.meta.url), 'utf8')) as { fieldOverrides: { collectionGroup: string; fieldPath: string; ttl?: boolean }[] };
    assert.ok(indexes.fieldOverrides.some((o) => o.collectionGroup === 'rateLimits' && o.fieldPath === 'expireAt' && o.ttl === true), 'a TTL policy on rateLimits.expireAt');

    const { licenseKey, productId } = await newLicense();
    const window = privateWindow(3600);
    const r = await call('activate', { licenseKey, machineFingerprint: machine(), productId }, { clock: window.clock });
    assert.equal(r.status, 200, r.text);
    const counter = (await db()).collection('rateLimits').doc(`activate_${sha256Base64Url(licenseKey).slice(0, 22)}_${window.start / 1000}_0`);
    const stored = await counter.get();
    assert.equal(stored.get('count'), 1, 'the real counter of this licence and window');
    assert.equal(stored.get('expireAt').toMillis(), window.resetAt + 86_400_000, 'a day after the window ends');

    const scope = { licenseKeys: [licenseKey] };
    await sweepExpired(new Date(window.resetAt + 86_400_000 - 1000), scope);
    assert.equal((await counter.get()).exists, true, 'kept until expireAt');
    const report = await sweepExpired(new Date(window.resetAt + 86_400_000), scope);
    assert.equal((await counter.get()).exists, false, 'deleted once expired');
    assert.equal(report.rateLimitDocsDeleted, 1);
  });
});
