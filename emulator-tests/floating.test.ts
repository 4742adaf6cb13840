// Floating licences: a seat is a lease renewed by heartbeat; a lease that lapses frees its seat,
// reclaimed by the next activation or by the scheduled sweep (run here through the emulator).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprintHash } from '../functions/src/domain/activation.ts';
import { activationRef } from '../functions/src/store/activations.ts';
import { db } from '../functions/src/store/firestore.ts';
import { activationsOf, client, eventsOf, machine, newLicense, runScheduled, seatsHeld, storedLicense } from './clientHelpers.ts';
import { isErrorShape } from './helpers.ts';

async function floating(maxConcurrent: number) {
  const fixture = await newLicense({ licenseType: 'floating', maxConcurrent, heartbeatIntervalSeconds: 60 });
  return { ...fixture, call: client() };
}

/** Test setup: the machine's lease ran out a minute ago. */
async function lapse(licenseKey: string, fp: string): Promise<void> {
  await (await activationRef(licenseKey, fingerprintHash(fp))).update({ leaseExpiresAt: new Date(Date.now() - 60_000) });
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

describe('sweep (scheduled)', () => {
  it('ends lapsed leases and deletes expired rate-limit counters, idempotently', async () => {
    const f = await floating(3);
    const [a, b, c] = [machine(), machine(), machine()];
    for (const fp of [a, b, c]) await f.call('activate', { licenseKey: f.licenseKey, machineFingerprint: fp, productId: f.productId });
    await lapse(f.licenseKey, a);
    await lapse(f.licenseKey, b);
    const limits = (await db()).collection('rateLimits');
    const expired = limits.doc(`test_expired_${Date.now()}`);
    const current = limits.doc(`test_current_${Date.now()}`);
    await expired.set({ count: 3, expireAt: new Date(Date.now() - 1000) });
    await current.set({ count: 3, expireAt: new Date(Date.now() + 3600_000) });

    assert.equal(await runScheduled('sweepExpired'), 200);
    assert.equal(await seatsHeld(f.licenseKey), 1);
    assert.equal((await storedLicense(f.licenseKey)).machinesUsed, 1);
    assert.equal((await expired.get()).exists, false);
    assert.equal((await current.get()).exists, true);
    const lapsedEvents = () => eventsOf(f.licenseKey).then((es) => es.filter((e) => e.type === 'activation.removed').length);
    assert.equal(await lapsedEvents(), 2);

    assert.equal(await runScheduled('sweepExpired'), 200, 'a second run finds nothing to do');
    assert.equal((await storedLicense(f.licenseKey)).machinesUsed, 1);
    assert.equal(await lapsedEvents(), 2);
    const live = await f.call('heartbeat', { licenseKey: f.licenseKey, machineFingerprint: c });
    assert.equal(live.status, 200, 'a live lease is untouched');
  });
});
