// Heartbeats for floating licences, with timers fired by hand so each delay can be read:
// the server's interval with jitter, back-off on failures, a stop on a definitive refusal.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LicenseRevokedError, NetworkError, NotActivatedError, RateLimitedError, type HeartbeatHandlers, type HeartbeatResult, type SeatkeyError } from '../src/index.ts';
import { activated, fixture, ManualTimers, startFake, storedActivation } from './helpers.ts';

type Event = { kind: 'beat'; result: HeartbeatResult } | { kind: 'error'; error: SeatkeyError; retryInMs: number } | { kind: 'stopped'; error: SeatkeyError };

/** Handlers that queue what happens, and a way to wait for the next thing. */
function recorder(): HeartbeatHandlers & { next(): Promise<Event> } {
  const events: Event[] = [];
  let wake: (() => void) | undefined;
  const push = (e: Event) => {
    events.push(e);
    wake?.();
  };
  return {
    onBeat: (result) => push({ kind: 'beat', result }),
    onError: (error, retryInMs) => push({ kind: 'error', error, retryInMs }),
    onStopped: (error) => push({ kind: 'stopped', error }),
    async next() {
      while (events.length === 0) await new Promise<void>((r) => (wake = r));
      return events.shift()!;
    },
  };
}

async function floating(random = () => 0.5) {
  const timers = new ManualTimers();
  const fake = await startFake();
  fake.heartbeatSeconds = 100;
  const f = await activated({ fake, license: { licenseType: 'floating' }, client: { timers, random } });
  return { ...f, timers };
}

/** A floating activation with its heartbeat loop started, recording what happens. */
async function beating(random?: () => number) {
  const f = await floating(random);
  const events = recorder();
  f.client.startHeartbeats(events);
  return { ...f, events };
}

describe('heartbeat()', () => {
  it("renews the lease and returns the server's interval", async () => {
    const { client, fake, license, storage } = await floating();
    const r = await client.heartbeat();
    assert.equal(r.nextHeartbeatSeconds, 100);
    assert.ok(r.leaseExpiresAt && r.leaseExpiresAt.getTime() > Date.now());
    assert.deepEqual(Object.keys(fake.lastBody.heartbeat ?? {}).sort(), ['licenseKey', 'machineFingerprint', 'token']);
    assert.equal(fake.lastBody.heartbeat?.licenseKey, license.key);
    assert.equal((await storedActivation(storage))?.leaseExpiresAt, r.leaseExpiresAt?.toISOString());
  });

  it('rejects with NotActivatedError when nothing is cached', async () => {
    const { client, fake } = await fixture();
    await assert.rejects(client.heartbeat(), NotActivatedError);
    assert.deepEqual(fake.calls, {});
  });

  it('clears the cache on a definitive refusal', async () => {
    const { client, license, storage } = await floating();
    license.status = 'revoked';
    await assert.rejects(client.heartbeat(), LicenseRevokedError);
    assert.equal(await storedActivation(storage), null);
  });
});

// A broken loop would leave a test waiting for an event: fail it instead of hanging the run.
describe('startHeartbeats()', { timeout: 20_000 }, () => {
  it('beats at once, then at the interval the server names, jittered early', async () => {
    const { client, fake, timers, events } = await beating(() => 0.5);
    assert.equal(timers.delay, 0, 'the first beat goes at once');
    timers.fire();
    assert.equal((await events.next()).kind, 'beat');
    assert.equal(timers.delay, 100_000 * 0.9, 'between 80 % and 100 % of the interval');
    fake.heartbeatSeconds = 40;
    timers.fire();
    assert.equal((await events.next()).kind, 'beat');
    assert.equal(timers.delay, 40_000 * 0.9, 'follows a new interval');
    assert.equal(fake.calls.heartbeat, 2);
    client.stop();
  });

  it('keeps every delay within 80-100 % of the interval', async () => {
    for (const [random, expected] of [
      [0, 100_000],
      [0.999999, 80_000],
    ] as const) {
      const { client, timers, events } = await beating(() => random);
      timers.fire();
      await events.next();
      assert.ok(Math.abs(timers.delay - expected) < 1, `${timers.delay} vs ${expected}`);
      client.stop();
    }
  });

  it('backs off on failures, doubling up to the interval, then resumes', async () => {
    const { client, fake, timers, events } = await beating(() => 0.999999);
    fake.offline = true;
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      timers.fire();
      const e = await events.next();
      assert.equal(e.kind, 'error');
      assert.ok(e.kind === 'error' && e.error instanceof NetworkError);
      assert.equal(e.kind === 'error' && e.retryInMs, timers.delay);
      delays.push(Math.round(timers.delay));
    }
    // 5 s, 10 s, 20 s, … (times a jitter factor near 1 here), capped at the interval.
    assert.deepEqual(delays, [5_000, 10_000, 20_000, 40_000, 80_000, 100_000, 100_000]);
    fake.offline = false;
    timers.fire();
    assert.equal((await events.next()).kind, 'beat');
    timers.fire();
    assert.equal((await events.next()).kind, 'beat', 'back to normal');
    client.stop();
  });

  it("waits at least as long as the server's Retry-After", async () => {
    const { client, fake, timers, events } = await beating();
    fake.fail('heartbeat', { status: 429, code: 'rate_limited', retryAfter: 90 });
    timers.fire();
    const e = await events.next();
    assert.ok(e.kind === 'error' && e.error instanceof RateLimitedError);
    assert.equal(timers.delay, 90_000);
    client.stop();
  });

  it('stops on a definitive refusal, says why once, and clears the cache', async () => {
    const { license, timers, storage, events } = await beating();
    timers.fire();
    assert.equal((await events.next()).kind, 'beat');
    license.status = 'revoked';
    timers.fire();
    const e = await events.next();
    assert.equal(e.kind, 'stopped');
    assert.ok(e.kind === 'stopped' && e.error instanceof LicenseRevokedError);
    assert.equal(timers.pending.size, 0, 'nothing more is scheduled');
    assert.equal(await storedActivation(storage), null);
  });

  it('stops when validate() learns the licence was revoked', async () => {
    const { client, license, timers, events } = await beating();
    license.status = 'revoked';
    const r = await client.validate({ online: true });
    assert.ok(!r.valid && r.error instanceof LicenseRevokedError);
    const e = await events.next();
    assert.ok(e.kind === 'stopped' && e.error === r.error);
    assert.equal(timers.pending.size, 0);
  });

  it('stop() cancels the pending beat, and a beat in flight schedules nothing', async () => {
    const { client, fake, timers, events } = await beating();
    client.stop();
    assert.equal(timers.pending.size, 0);
    assert.equal(timers.cleared.length, 1);

    client.startHeartbeats(events);
    timers.fire();
    client.stop();
    await client.validate(); // queued behind the beat in flight, so it is done
    assert.equal(fake.calls.heartbeat, 1, 'the beat in flight finished');
    assert.equal(timers.pending.size, 0, 'and scheduled nothing');
  });

  it('starting twice runs one loop', async () => {
    const { client, timers } = await floating();
    client.startHeartbeats();
    client.startHeartbeats();
    assert.equal(timers.pending.size, 1);
    client.stop();
  });
});
