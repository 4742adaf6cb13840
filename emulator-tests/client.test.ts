// The client endpoints apps call: activate, verify, deactivate and heartbeat for per-machine and
// site licences, every refusal, the seat limit under concurrency, rate limits and bad input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprintHash } from '../functions/src/domain/activation.ts';
import { generateLicenseKey } from '../functions/src/domain/licenseKey.ts';
import { activationRef } from '../functions/src/store/activations.ts';
import { activationsOf, client, eventsOf, isValidError, machine, newLicense, seatsHeld, setLicenseState, storedLicense, warmWorkers } from './clientHelpers.ts';
import { asCreator, assertRateLimited, clientIn, isErrorShape, newProduct, privateWindow } from './helpers.ts';

/** An activation that reaches Firestore and answers 404: warms a worker's Firestore client. */
const unknownKeyActivation = () => ({ licenseKey: generateLicenseKey('WARM'), machineFingerprint: 'warm-up', productId: 'warm-up' });

describe('activate', () => {
  it('binds a machine, returns a token and the seat counts, and records the event', async () => {
    const { licenseKey, productId } = await newLicense({ maxMachines: 3 });
    const call = client();
    const fp = machine();
    const r = await call('activate', { licenseKey, machineFingerprint: fp, hostname: '  build-box  ', productId });
    assert.equal(r.status, 200, r.text);
    const b = r.body;
    assert.equal(b.success, true);
    assert.match(b.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(b.machinesUsed, 1);
    assert.equal(b.maxMachines, 3);
    assert.equal(b.status, 'active');
    assert.equal(b.variant, null);
    assert.equal(b.licenseType, 'per-machine');
    assert.equal(b.licenseExpiresAt, null);
    assert.equal(b.message, 'Machine activated');
    assert.match(b.activationId, /^act_/);
    assert.ok(Math.abs(Date.parse(b.expiresAt) - Date.now() - 30 * 86_400_000) < 120_000, 'a 30-day token by default');
    assert.ok(Math.abs(Date.parse(b.serverTime) - Date.now()) < 60_000);
    assert.equal(b.leaseExpiresAt, undefined, 'no lease outside floating licences');
    assert.equal(b.warning, undefined);
    assert.equal(r.headers.get('x-ratelimit-limit'), '15');

    const [a] = await activationsOf(licenseKey);
    assert.equal(a?.fingerprint, fingerprintHash(fp), 'stored hashed');
    assert.notEqual(a?.fingerprint, fp);
    assert.equal(a?.hostname, 'build-box', 'trimmed');
    assert.equal(a?.sessionActive, true);
    assert.equal(a?.activationId, b.activationId);
    assert.equal((await storedLicense(licenseKey)).machinesUsed, 1);
    const events = await eventsOf(licenseKey);
    assert.equal(events.filter((e) => e.type === 'activation.created').length, 1);
  });

  it('is idempotent per machine: the same fingerprint takes no new seat and gets a fresh token', async () => {
    const { licenseKey, productId } = await newLicense({ maxMachines: 1 });
    const call = client();
    const fp = machine();
    const first = await call('activate', { licenseKey, machineFingerprint: fp, productId });
    const again = await call('activate', { licenseKey, machineFingerprint: fp, hostname: 'renamed', productId });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.machinesUsed, 1);
    assert.equal(again.body.message, 'Machine already activated');
    assert.equal(again.body.activationId, first.body.activationId);
    assert.equal(typeof again.body.token, 'string');
    const acts = await activationsOf(licenseKey);
    assert.equal(acts.length, 1);
    assert.equal(acts[0]?.hostname, 'renamed');
    assert.equal((await eventsOf(licenseKey)).filter((e) => e.type === 'activation.created').length, 1);
  });

  it('caps long hostnames', async () => {
    const { licenseKey, productId } = await newLicense();
    const r = await client()('activate', { licenseKey, machineFingerprint: machine(), hostname: `  ${'h'.repeat(1000)}`, productId });
    assert.equal(r.status, 200, r.text);
    assert.equal((await activationsOf(licenseKey))[0]?.hostname.length, 255);
  });

  it('refuses a machine past the limit with the exact machine_limit message', async () => {
    const { licenseKey, productId } = await newLicense({ maxMachines: 2 });
    const call = client();
    for (let i = 0; i < 2; i++) assert.equal((await call('activate', { licenseKey, machineFingerprint: machine(), productId })).status, 200);
    const r = await call('activate', { licenseKey, machineFingerprint: machine(), productId });
    assert.equal(r.status, 403);
    assert.ok(isErrorShape(r.body, 'machine_limit'));
    assert.equal(r.body.error, 'Machine limit reached (2). Deactivate another machine first.');
    assert.equal((await storedLicense(licenseKey)).machinesUsed, 2);
  });

  it('takes no seat limit on site licences and unlimited ones', async () => {
    for (const terms of [{ licenseType: 'site' }, { maxMachines: -1 }]) {
      const { licenseKey, productId } = await newLicense({ maxMachines: 1 }, terms);
      const call = client();
      let last: any;
      for (let i = 0; i < 4; i++) last = await call('activate', { licenseKey, machineFingerprint: machine(), productId });
      assert.equal(last.status, 200, last.text);
      assert.equal(last.body.maxMachines, -1);
      assert.equal(last.body.machinesUsed, 4);
      assert.equal(await seatsHeld(licenseKey), 4);
    }
  });

  it('refuses another product, an unknown key, and revoked, suspended or expired licences', async () => {
    const { creator, licenseKey, productId } = await newLicense();
    const call = client();
    const wrong = await call('activate', { licenseKey, machineFingerprint: machine(), productId: 'some-other-app' });
    assert.equal(wrong.status, 403);
    assert.ok(isErrorShape(wrong.body, 'wrong_product'));
    const unknown = await call('activate', { licenseKey: generateLicenseKey('NOPE'), machineFingerprint: machine(), productId });
    assert.equal(unknown.status, 404);
    assert.ok(isErrorShape(unknown.body, 'not_found'));

    const expired = await newLicense({}, { purchasedAt: '2020-01-01T00:00:00Z', durationDays: 30 });
    const e = await call('activate', { licenseKey: expired.licenseKey, machineFingerprint: machine(), productId: expired.productId });
    assert.equal(e.status, 403);
    assert.ok(isErrorShape(e.body, 'expired'));

    await setLicenseState(licenseKey, { status: 'suspended' });
    const s = await call('activate', { licenseKey, machineFingerprint: machine(), productId });
    assert.ok(isErrorShape(s.body, 'suspended'), s.text);
    await setLicenseState(licenseKey, { status: 'active', revoke: 'refund' });
    const rv = await call('activate', { licenseKey, machineFingerprint: machine(), productId });
    assert.equal(rv.status, 403);
    assert.ok(isErrorShape(rv.body, 'revoked'));
    assert.equal(await seatsHeld(licenseKey), 0);
    assert.ok(creator.apiKey);
  });

  it('accepts a product the licence unlocks (a bundle)', async () => {
    // An unlocked product must be one of the licence's creator's own (emulator-tests/tenancy.test.ts).
    const { creator, productId } = await newLicense();
    const extra = await newProduct(creator);
    const made = await asCreator(creator.apiKey, 'createLicense', { email: 'bundle@example.com', productId, unlockedProducts: [extra] });
    assert.equal(made.status, 200, made.text);
    const r = await client()('activate', { licenseKey: made.body.licenseKey, machineFingerprint: machine(), productId: extra });
    assert.equal(r.status, 200, r.text);
  });

  it('seats exactly maxMachines machines out of 40 simultaneous activations', async () => {
    await warmWorkers('activate', 40, unknownKeyActivation);
    const { licenseKey, productId } = await newLicense({ maxMachines: 3 });
    // One hour-window of this test's own, however long the burst takes.
    const window = privateWindow(3600);
    const call = clientIn(window);
    const replies = await Promise.all(Array.from({ length: 40 }, () => call('activate', { licenseKey, machineFingerprint: machine(), productId })));
    for (const r of replies) assert.ok([200, 403, 429, 503].includes(r.status), `${r.status} ${r.text}`);
    assert.ok(replies.filter((r) => r.status === 200).length <= 3);
    const limited = replies.filter((r) => r.status === 429);
    assert.equal(limited.length, 25, '15 attempts an hour for a licence of 3 seats');
    for (const r of limited) assertRateLimited(r, 15, window);
    // Lasting contention may shed some with 503 busy (the emulator's lock timeout) under load; a
    // machine_limit refusal means the seats were full, and nothing seats past the limit.
    const seated = replies.filter((r) => r.status === 200).length;
    const busy = replies.filter((r) => r.status === 503).length;
    const full = replies.filter((r) => r.status === 403);
    // Threat detection (docs/api.md) watches this burst too: the fifth distinct machine refused
    // within an hour degrades the licence, and the tenth refusal within a day escalates it to
    // suspended, refusing that attempt and every later one as `suspended`. Fewer refusals get
    // that far when the emulator sheds some calls as busy.
    const overLimit = full.filter((r) => isErrorShape(r.body, 'machine_limit'));
    const suspended = full.filter((r) => isErrorShape(r.body, 'suspended'));
    assert.equal(overLimit.length + suspended.length, full.length, full.map((r) => r.text).join('\n'));
    if (suspended.length > 0) assert.equal(overLimit.length, 9, 'suspended at the tenth refusal past the limit, not before');
    assert.equal(await seatsHeld(licenseKey), seated, 'a seat for every 200, and only for them');
    assert.equal((await storedLicense(licenseKey)).machinesUsed, seated);
    if (full.length > 0 || busy === 0) assert.equal(seated, 3, 'exactly the seat limit');
  });

  it('gives one seat to 30 simultaneous activations of one machine', async () => {
    await warmWorkers('activate', 30, unknownKeyActivation);
    const { licenseKey, productId } = await newLicense({ maxMachines: 3 });
    const call = client();
    const fp = machine();
    const replies = await Promise.all(Array.from({ length: 30 }, () => call('activate', { licenseKey, machineFingerprint: fp, productId })));
    for (const r of replies) assert.ok([200, 429, 503].includes(r.status), `${r.status} ${r.text}`);
    assert.ok(replies.some((r) => r.status === 200));
    assert.equal((await activationsOf(licenseKey)).length, 1);
    assert.equal((await storedLicense(licenseKey)).machinesUsed, 1);
    assert.equal((await eventsOf(licenseKey)).filter((e) => e.type === 'activation.created').length, 1);
  });
});

describe('verify', () => {
  it('reports the licence state without binding a machine', async () => {
    const { licenseKey, productId } = await newLicense({ maxMachines: 2 }, { durationDays: 10 });
    const call = client();
    await call('activate', { licenseKey, machineFingerprint: machine(), productId });
    const r = await call('verify', { licenseKey, productId });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.valid, true);
    assert.equal(r.body.status, 'active');
    assert.equal(r.body.licenseType, 'per-machine');
    assert.equal(r.body.productId, productId);
    assert.equal(r.body.variant, null);
    assert.equal(r.body.maxMachines, 2);
    assert.equal(r.body.machinesUsed, 1);
    assert.ok(r.body.expiresAt && r.body.serverTime);
    assert.equal(r.body.success, undefined, 'verify answers with `valid`');
    const typed = await call('verify', { licenseKey: ` ${licenseKey.toLowerCase().replaceAll('-', '')} ` });
    assert.equal(typed.status, 200, 'keys are normalised');
  });

  it('refuses with valid:false and a code', async () => {
    const { licenseKey } = await newLicense({}, { purchasedAt: '2020-01-01T00:00:00Z', durationDays: 1 });
    const call = client();
    const expired = await call('verify', { licenseKey });
    assert.equal(expired.status, 403);
    assert.ok(isValidError(expired.body, 'expired'), expired.text);
    const wrong = await call('verify', { licenseKey, productId: 'not-this-one' });
    assert.ok(isValidError(wrong.body, 'wrong_product'));
    const unknown = await call('verify', { licenseKey: generateLicenseKey('ZZZ') });
    assert.equal(unknown.status, 404);
    assert.ok(isValidError(unknown.body, 'not_found'));
  });
});

describe('deactivate', () => {
  it('frees the seat for another machine and forgets the machine', async () => {
    const { licenseKey, productId } = await newLicense({ maxMachines: 1 });
    const call = client();
    const [a, b] = [machine(), machine()];
    await call('activate', { licenseKey, machineFingerprint: a, productId });
    assert.equal((await call('activate', { licenseKey, machineFingerprint: b, productId })).status, 403);
    const d = await call('deactivate', { licenseKey, machineFingerprint: a });
    assert.equal(d.status, 200, d.text);
    assert.deepEqual({ machinesUsed: d.body.machinesUsed, maxMachines: d.body.maxMachines }, { machinesUsed: 0, maxMachines: 1 });
    assert.ok(d.body.serverTime);
    assert.equal((await activationsOf(licenseKey)).length, 0);
    assert.equal((await call('activate', { licenseKey, machineFingerprint: b, productId })).status, 200);
    assert.equal((await eventsOf(licenseKey)).filter((e) => e.type === 'activation.removed').length, 1);
  });

  it('refuses a machine that is not activated and an unknown key', async () => {
    const { licenseKey } = await newLicense();
    const call = client();
    const r = await call('deactivate', { licenseKey, machineFingerprint: machine() });
    assert.equal(r.status, 403);
    assert.ok(isErrorShape(r.body, 'not_activated'));
    const u = await call('deactivate', { licenseKey: generateLicenseKey('ZZZ'), machineFingerprint: machine() });
    assert.equal(u.status, 404);
  });
});

describe('heartbeat (per-machine)', () => {
  it('answers with the interval and writes lastSeen only once it is stale', async () => {
    const { licenseKey, productId } = await newLicense({ heartbeatIntervalSeconds: 120 });
    const call = client();
    const fp = machine();
    const act = await call('activate', { licenseKey, machineFingerprint: fp, productId });
    const before = (await activationsOf(licenseKey))[0]!.lastSeen;
    const r = await call('heartbeat', { licenseKey, machineFingerprint: fp, token: act.body.token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.leaseExpiresAt, null);
    assert.equal(r.body.nextHeartbeatSeconds, 120);
    assert.equal((await activationsOf(licenseKey))[0]!.lastSeen.getTime(), before.getTime(), 'no write on every call');
    // An hour-old lastSeen is refreshed. (Written directly: only an hour passing makes it so.)
    await (await activationRef(licenseKey, fingerprintHash(fp))).update({ lastSeen: new Date(Date.now() - 3600_000) });
    await call('heartbeat', { licenseKey, machineFingerprint: fp });
    assert.ok((await activationsOf(licenseKey))[0]!.lastSeen.getTime() > Date.now() - 60_000);
  });

  it('refuses a machine that is not activated, a revoked licence, and a token for another machine', async () => {
    const { licenseKey, productId } = await newLicense({ maxMachines: 2 });
    const call = client();
    const [a, b] = [machine(), machine()];
    const ta = await call('activate', { licenseKey, machineFingerprint: a, productId });
    await call('activate', { licenseKey, machineFingerprint: b, productId });
    const none = await call('heartbeat', { licenseKey, machineFingerprint: machine() });
    assert.equal(none.status, 403);
    assert.ok(isErrorShape(none.body, 'not_activated'));
    const mismatch = await call('heartbeat', { licenseKey, machineFingerprint: b, token: ta.body.token });
    assert.ok(isErrorShape(mismatch.body, 'fingerprint_mismatch'), mismatch.text);
    const bad = await call('heartbeat', { licenseKey, machineFingerprint: a, token: 'not.a.token' });
    assert.ok(isErrorShape(bad.body, 'invalid_token'));
    const other = await newLicense();
    const foreign = await call('heartbeat', { licenseKey: other.licenseKey, machineFingerprint: a, token: ta.body.token });
    assert.ok(isErrorShape(foreign.body, 'invalid_token'));
    await setLicenseState(licenseKey, { revoke: 'chargeback' });
    const revoked = await call('heartbeat', { licenseKey, machineFingerprint: a });
    assert.ok(isErrorShape(revoked.body, 'revoked'));
  });
});

describe('client endpoints: bad input', () => {
  const key = generateLicenseKey('BAD');
  const cases: Record<string, unknown[]> = {
    activate: [{}, { licenseKey: key, productId: 'app' }, { licenseKey: key, machineFingerprint: 'm', metadata: 'x' }, { licenseKey: key, machineFingerprint: 'm', hostname: 'a', machineLabel: 'b' }, { licenseKey: 'ABC 1234', machineFingerprint: 'm', productId: 'app' }, { licenseKey: key, machineFingerprint: 7, productId: 'app' }, { licenseKey: key, machineFingerprint: '   ', productId: 'app' }, { licenseKey: key, machineFingerprint: 'm', productId: 'Bad Slug!' }, { licenseKey: key, machineFingerprint: 'm', productId: 'app', hostname: 42 }, { licenseKey: key, machineFingerprint: 'x'.repeat(2000), productId: 'app' }],
    verify: [{}, { licenseKey: 12 }, { licenseKey: 'nope' }, { licenseKey: key, productId: ['a'] }],
    validate: [{}, { token: 'x' }, { machineFingerprint: 'm' }, { token: 5, machineFingerprint: 'm' }, { token: 'x', machineFingerprint: 'm', licenseKey: 'bad' }],
    deactivate: [{}, { licenseKey: key }, { machineFingerprint: 'm' }, { licenseKey: key, machineFingerprint: null }],
    heartbeat: [{}, { licenseKey: key }, { licenseKey: key, machineFingerprint: 'm', token: 3 }, { licenseKey: key, machineFingerprint: 'm', token: '' }],
  };
  for (const [name, bodies] of Object.entries(cases)) {
    it(`${name}: 400 naming the field, never a 5xx`, async () => {
      const call = client();
      const flag = name === 'verify' || name === 'validate' ? 'valid' : 'success';
      for (const body of bodies) {
        const r = await call(name, body);
        assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)} → ${r.status} ${r.text}`);
        assert.equal(r.body[flag], false);
        assert.equal(r.body.code, 'invalid_request');
      }
      const text = await call(name, undefined);
      assert.equal(text.status, 400);
      const put = await call(name, {}, 'PUT');
      assert.equal(put.status, 405);
    });
  }

  it('publicKey takes GET and POST and nothing else', async () => {
    const call = client();
    assert.equal((await call('publicKey', undefined, 'GET')).status, 200);
    assert.equal((await call('publicKey', { anything: 1 })).status, 200);
    assert.equal((await call('publicKey', {}, 'DELETE')).status, 405);
  });
});
