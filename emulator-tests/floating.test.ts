// Floating licences: a seat is a lease renewed by heartbeat; a lease that lapses frees its seat,
// reclaimed by the next activation or by the scheduled sweep (run here in-process over each
// test's own licences). Heartbeats that renew a lease are limited per lease, not per client IP.
// A type change to per-machine keeps the seats, and the sweep leaves them alone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprintHash } from '../functions/src/domain/activation.ts';
import { activationsOf, client, eventsOf, lapse, machine, newLicense, seatsHeld, storedLicense, sweepOf } from './clientHelpers.ts';
import { asCreator, byWindow, call, inWaves, isErrorShape, randomIp, type Reply } from './helpers.ts';

async function floating(maxConcurrent: number, heartbeatIntervalSeconds = 60) {
  const fixture = await newLicense({ licenseType: 'floating', maxConcurrent, heartbeatIntervalSeconds });
  return { ...fixture, call: client() };
}

const DAY = 86_400_000;

/**
 * Heartbeats one machine until a renewal is refused, and returns the replies. They are counted
 * per window (X-RateLimit-Reset), so a minute boundary in the middle proves nothing wrong.
 */
async function beatUntilRefused(send: (name: string, body: unknown) => Promise<Reply>, licenseKey: string, fp: string): Promise<Reply[]> {
  const replies: Reply[] = [];
  while (!replies.some((r) => r.status === 429)) {
    assert.ok(replies.length < 60, 'never refused');
    const r = await send('heartbeat', { licenseKey, machineFingerprint: fp });
    assert.ok(r.status === 200 || r.status === 429, r.text);
    replies.push(r);
  }
  return replies;
}

describe('floating licences', () => {
  it('grants leases up to maxConcurrent, with the lease and heartbeat timing', async () => {
    const f = await floating(2);
    const [a, b, c] = [machine(), machine(), machine()];
    const ra = await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: a, productId: f.productId });
    assert.equal(ra.status, 200, ra.text);
    assert.equal(ra.body.licenseType, 'floating');
    assert.equal(ra.body.maxMachines, 2, 'the seat limit that applies: maxConcurrent');
    assert.equal(ra.body.nextHeartbeatSeconds, 30);
    assert.ok(Math.abs(Date.parse(ra.body.leaseExpiresAt) - Date.now() - 60_000) < 30_000);
    assert.equal((await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: b, productId: f.productId })).status, 200);
    const rc = await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: c, productId: f.productId });
    assert.equal(rc.status, 403);
    assert.equal(rc.body.error, 'Machine limit reached (2). Deactivate another machine first.');
  });

  it('renews a lease by heartbeat and refuses a machine without one', async () => {
    const f = await floating(1);
    const a = machine();
    const act = await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: a, productId: f.productId });
    const hb = await f.call('heartbeat', { licenseKey: f.licenseKey, machineFingerprint: a, token: act.body.token });
    assert.equal(hb.status, 200, hb.text);
    assert.equal(hb.body.nextHeartbeatSeconds, 30);
    assert.ok(Date.parse(hb.body.leaseExpiresAt) >= Date.parse(act.body.leaseExpiresAt));
    const stored = (await activationsOf(f.licenseKey))[0]!;
    assert.equal(stored.leaseExpiresAt?.toISOString(), hb.body.leaseExpiresAt);
    const none = await f.call('heartbeat', { licenseKey: f.licenseKey, machineFingerprint: machine() });
    assert.equal(none.status, 403);
    assert.ok(isErrorShape(none.body, 'not_activated'));
  });

  it('frees a lapsed lease: the next activation takes the seat and the old machine must activate again', async () => {
    const f = await floating(1);
    const [a, b] = [machine(), machine()];
    await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: a, productId: f.productId });
    assert.equal((await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: b, productId: f.productId })).status, 403, 'seat held');
    await lapse(f.licenseKey, a);
    const rb = await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: b, productId: f.productId });
    assert.equal(rb.status, 200, rb.text);
    assert.equal(rb.body.machinesUsed, 1);
    assert.equal(await seatsHeld(f.licenseKey), 1);
    const old = (await activationsOf(f.licenseKey)).find((x) => x.fingerprint === fingerprintHash(a))!;
    assert.equal(old.sessionActive, false);
    assert.equal(old.leaseExpiresAt, null);
    const hb = await f.call('heartbeat', { licenseKey: f.licenseKey, machineFingerprint: a });
    assert.ok(isErrorShape(hb.body, 'not_activated'), hb.text);
    const removed = (await eventsOf(f.licenseKey)).filter((e) => e.type === 'activation.removed');
    assert.equal(removed.length, 1);
    assert.equal(removed[0]?.data.reason, 'lease_lapsed');
    // The old machine comes back once the seat is free again.
    await f.call('deactivate', { licenseKey: f.licenseKey, machineFingerprint: b });
    const back = await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: a, productId: f.productId });
    assert.equal(back.status, 200, back.text);
    assert.equal(back.body.message, 'Machine activated');
    assert.equal((await storedLicense(f.licenseKey)).machinesUsed, 1);
  });

  it('renews a lapsed lease by heartbeat while no one has taken its seat', async () => {
    const f = await floating(1);
    const a = machine();
    await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: a, productId: f.productId });
    await lapse(f.licenseKey, a);
    const hb = await f.call('heartbeat', { licenseKey: f.licenseKey, machineFingerprint: a });
    assert.equal(hb.status, 200, hb.text);
    assert.ok(Date.parse(hb.body.leaseExpiresAt) > Date.now());
  });
});

describe('heartbeat limits (floating)', () => {
  it('keeps 300 floating seats behind one office NAT: renewals are counted per lease, not per client IP', async () => {
    // The office has three floating licences of 100 seats. Their machines activate over the
    // morning (one at a time per licence: simultaneous activations of one licence only queue on
    // its document, and 100 a minute from one address would meet the per-IP limit, as it should).
    const licences = await Promise.all([0, 1, 2].map(() => floating(100, 300)));
    const seats = licences.flatMap((f) => Array.from({ length: 100 }, () => ({ f, fp: machine() })));
    const leases = new Map<string, string>();
    await Promise.all(
      licences.map(async (f) => {
        const ips = [randomIp(), randomIp()];
        for (const [i, seat] of seats.filter((s) => s.f === f).entries()) {
          const r = await call('activate', { licenseKey: f.licenseKey, machineFingerprint: seat.fp, productId: f.productId }, { ip: ips[i % 2] });
          assert.equal(r.status, 200, r.text);
          leases.set(seat.fp, r.body.leaseExpiresAt);
        }
      }),
    );

    // Every seat heartbeats from the office's one public address: 300 calls, three times the
    // per-IP limit of a minute, and every lease is renewed.
    const nat = randomIp();
    const beats = await inWaves(300, 5, (i) => call('heartbeat', { licenseKey: seats[i]!.f.licenseKey, machineFingerprint: seats[i]!.fp }, { ip: nat }));
    for (const [i, r] of beats.entries()) {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('x-ratelimit-limit'), '2', "the lease's own limit: 2 renewals a minute at a 300 s interval");
      assert.ok(Date.parse(r.body.leaseExpiresAt) >= Date.parse(leases.get(seats[i]!.fp)!));
    }
    for (const f of licences) assert.equal(await seatsHeld(f.licenseKey), 100);
    // The renewals took nothing from the address's per-IP budget: its next call is counted as
    // the first of its window, as an address that sent nothing before.
    const verify = await call('verify', { licenseKey: licences[0]!.licenseKey }, { ip: nat });
    assert.equal(verify.status, 200, verify.text);
    const first = await call('verify', { licenseKey: licences[0]!.licenseKey }, { ip: randomIp() });
    assert.equal(verify.headers.get('x-ratelimit-remaining'), first.headers.get('x-ratelimit-remaining'));
  });

  it("limits one lease's renewals to twice what its interval needs; a runaway machine starves only itself", async () => {
    for (const [interval, limit] of [
      [300, 2],
      [30, 10],
    ] as const) {
      const f = await floating(2, interval);
      const [a, b] = [machine(), machine()];
      for (const fp of [a, b]) assert.equal((await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: fp, productId: f.productId })).status, 200);
      const replies = await beatUntilRefused(f.call, f.licenseKey, a);
      const [refusedWindow] = [...byWindow(replies).entries()].filter(([, w]) => w.limited > 0);
      assert.equal(refusedWindow![1].admitted, limit, `interval ${interval} s: ${limit} renewals a minute, then 429`);
      const refused = replies.at(-1)!;
      assert.ok(isErrorShape(refused.body, 'rate_limited'), refused.text);
      assert.equal(refused.headers.get('x-ratelimit-limit'), String(limit));
      assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1 && Number(refused.headers.get('retry-after')) <= 60);
      assert.equal(await seatsHeld(f.licenseKey), 2, 'a refused renewal ends no lease');
      const other = await f.call('heartbeat', { licenseKey: f.licenseKey, machineFingerprint: b });
      assert.equal(other.status, 200, 'another lease of the licence renews as usual');
    }
  });

  it('counts heartbeats that renew nothing against the client IP', async () => {
    const f = await floating(1);
    const refused = await f.call('heartbeat', { licenseKey: f.licenseKey, machineFingerprint: machine() });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('x-ratelimit-limit'), '100', 'the per-IP limit');
  });
});

describe('a type change from floating to per-machine', () => {
  it('keeps the machines and their seats, and the sweep never ends them', async () => {
    const f = await floating(3);
    const [a, b] = [machine(), machine()];
    for (const fp of [a, b]) assert.equal((await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: fp, productId: f.productId })).status, 200);
    const changed = await asCreator(f.creator.apiKey, 'updateLicense', { licenseKey: f.licenseKey, licenseType: 'per-machine' });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.license.machinesUsed, 2, 'the seats are kept');
    assert.equal(changed.body.license.maxMachines, 3, 'its 3 floating seats become 3 machines');

    // A day on, every lease the machines once had is long past.
    const report = await sweepOf(new Date(Date.now() + DAY), f.licenseKey);
    assert.equal(report.leasesEnded, 0);
    assert.equal(await seatsHeld(f.licenseKey), 2);
    assert.equal((await storedLicense(f.licenseKey)).machinesUsed, 2);
    assert.ok((await activationsOf(f.licenseKey)).every((x) => x.sessionActive && x.leaseExpiresAt === null), 'the leftover leases are cleared');
    assert.equal((await sweepOf(new Date(Date.now() + 2 * DAY), f.licenseKey)).leasesEnded, 0);
    assert.equal((await eventsOf(f.licenseKey)).filter((e) => e.type === 'activation.removed').length, 0);

    const again = await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: a, productId: f.productId });
    assert.equal(again.body.message, 'Machine already activated');
    assert.equal(again.body.machinesUsed, 2);
    const hb = await f.call('heartbeat', { licenseKey: f.licenseKey, machineFingerprint: b });
    assert.equal(hb.status, 200, hb.text);
    assert.equal(hb.body.leaseExpiresAt, null);
    assert.equal((await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: machine(), productId: f.productId })).status, 200);
    const fourth = await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: machine(), productId: f.productId });
    assert.ok(isErrorShape(fourth.body, 'machine_limit'), fourth.text);
  });
});

describe('sweep (scheduled)', () => {
  it('ends lapsed leases idempotently and leaves live ones', async () => {
    const f = await floating(3);
    const [a, b, c] = [machine(), machine(), machine()];
    for (const fp of [a, b, c]) await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: fp, productId: f.productId });
    await lapse(f.licenseKey, a);
    await lapse(f.licenseKey, b);

    const first = await sweepOf(new Date(), f.licenseKey);
    assert.equal(first.leasesEnded, 2);
    assert.equal(await seatsHeld(f.licenseKey), 1);
    assert.equal((await storedLicense(f.licenseKey)).machinesUsed, 1);
    const ended = (await activationsOf(f.licenseKey)).filter((x) => !x.sessionActive).map((x) => x.fingerprint);
    assert.deepEqual(new Set(ended), new Set([a, b].map(fingerprintHash)));
    const lapsedEvents = () => eventsOf(f.licenseKey).then((es) => es.filter((e) => e.type === 'activation.removed' && e.data.reason === 'lease_lapsed').length);
    assert.equal(await lapsedEvents(), 2);

    assert.equal((await sweepOf(new Date(), f.licenseKey)).leasesEnded, 0, 'a second run finds nothing to do');
    assert.equal((await storedLicense(f.licenseKey)).machinesUsed, 1);
    assert.equal(await lapsedEvents(), 2);
    const live = await f.call('heartbeat', { licenseKey: f.licenseKey, machineFingerprint: c });
    assert.equal(live.status, 200, 'a live lease is untouched');
  });

  it("acts only on its scope's licences", async () => {
    const [mine, theirs] = [await floating(1), await floating(1)];
    const [a, b] = [machine(), machine()];
    await mine.call('activate', { licenseKey: mine.licenseKey, machineFingerprint: a, productId: mine.productId });
    await theirs.call('activate', { licenseKey: theirs.licenseKey, machineFingerprint: b, productId: theirs.productId });
    const report = await sweepOf(new Date(Date.now() + DAY), mine.licenseKey);
    assert.equal(report.leasesEnded, 1);
    assert.equal(await seatsHeld(mine.licenseKey), 0);
    assert.equal(await seatsHeld(theirs.licenseKey), 1, 'out of scope: untouched, though lapsed by then');
  });
});
