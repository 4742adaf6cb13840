// Limits that fit the licence (docs/api.md, Rate limits): activate's hourly limit is 15 or twice
// the seats, site and unlimited licences are limited per client IP only, and deactivate allows
// 10 an hour per licence (twice maxConcurrent on a floating one). (Heartbeat renewals, counted
// per lease, are tested with floating licences.)
//
// Each test sends the emulator's rate-limit clock to hold its calls in an hour of its own, so
// none depends on finishing inside one wall-clock window.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { machine, newLicense, seatsHeld } from './clientHelpers.ts';
import { asCreator, assertRateLimited, call as send, clientIn, privateWindow } from './helpers.ts';

describe('activate limits', () => {
  it('answers the 16th attempt in an hour on a one-seat licence with 429 and the rate-limit headers', async () => {
    const { licenseKey, productId } = await newLicense();
    const window = privateWindow(3600);
    const call = clientIn(window);
    const fp = machine();
    for (let i = 1; i <= 15; i++) {
      const r = await call('activate', { licenseKey, machineFingerprint: fp, productId });
      assert.equal(r.status, 200, `attempt ${i}: ${r.text}`);
      assert.equal(r.headers.get('x-ratelimit-limit'), '15');
      assert.equal(r.headers.get('x-ratelimit-remaining'), String(15 - i));
      assert.equal(r.headers.get('x-ratelimit-reset'), String(window.resetAt / 1000));
    }
    assertRateLimited(await call('activate', { licenseKey, machineFingerprint: fp, productId }), 15, window);
    // Another licence is not affected; the next hour admits this one again.
    const other = await newLicense();
    assert.equal((await call('activate', { licenseKey: other.licenseKey, machineFingerprint: fp, productId: other.productId })).status, 200);
    const later = await send('activate', { licenseKey, machineFingerprint: fp, productId }, { clock: window.resetAt });
    assert.equal(later.status, 200, later.text);
  });

  it('scales with the seats: twice maxMachines an hour, and a raised maxMachines raises it at once', async () => {
    const { creator, licenseKey, productId } = await newLicense({ maxMachines: 9 });
    const window = privateWindow(3600);
    const call = clientIn(window);
    const fp = machine();
    for (let i = 1; i <= 18; i++) {
      const r = await call('activate', { licenseKey, machineFingerprint: fp, productId });
      assert.equal(r.status, 200, `attempt ${i}: ${r.text}`);
      assert.equal(r.headers.get('x-ratelimit-limit'), '18', '2 × 9 seats an hour');
    }
    assertRateLimited(await call('activate', { licenseKey, machineFingerprint: fp, productId }), 18, window);
    const raised = await asCreator(creator.apiKey, 'updateLicense', { licenseKey, maxMachines: 12 });
    assert.equal(raised.status, 200, raised.text);
    const r = await call('activate', { licenseKey, machineFingerprint: fp, productId });
    assert.equal(r.status, 200, `the 20th attempt is within 2 × 12: ${r.text}`);
    assert.equal(r.headers.get('x-ratelimit-limit'), '24');
    assert.equal(r.headers.get('x-ratelimit-remaining'), '4');
  });

  it('limits site and unlimited licences per client IP only', async () => {
    for (const terms of [{ licenseType: 'site' }, { maxMachines: -1 }]) {
      const { licenseKey, productId } = await newLicense({}, terms);
      const window = privateWindow(3600);
      const call = clientIn(window);
      for (let i = 1; i <= 16; i++) {
        const r = await call('activate', { licenseKey, machineFingerprint: machine(), productId });
        assert.equal(r.status, 200, `${JSON.stringify(terms)} machine ${i}: ${r.text}`);
        assert.equal(r.headers.get('x-ratelimit-limit'), '100', 'only the per-IP limit applies');
      }
      assert.equal(await seatsHeld(licenseKey), 16, 'past the 15 a licence of one seat may try');
    }
  });
});

describe('deactivate limits', () => {
  it('allows 10 an hour per licence, as Paperkey: a deactivate/activate cycle cannot go on without end', async () => {
    const { licenseKey, productId } = await newLicense({ maxMachines: 3 });
    const window = privateWindow(3600);
    const call = clientIn(window);
    const fp = machine();
    for (let i = 1; i <= 10; i++) {
      assert.equal((await call('activate', { licenseKey, machineFingerprint: fp, productId })).status, 200);
      const d = await call('deactivate', { licenseKey, machineFingerprint: fp });
      assert.equal(d.status, 200, `deactivation ${i}: ${d.text}`);
      assert.equal(d.headers.get('x-ratelimit-limit'), '10');
      assert.equal(d.headers.get('x-ratelimit-remaining'), String(10 - i));
    }
    assert.equal((await call('activate', { licenseKey, machineFingerprint: fp, productId })).status, 200);
    assertRateLimited(await call('deactivate', { licenseKey, machineFingerprint: fp }), 10, window);
    assert.equal(await seatsHeld(licenseKey), 1, 'the refused deactivation changed nothing');
    // Refused deactivations count too, and another licence has its own count.
    const other = await newLicense();
    for (let i = 0; i < 10; i++) assert.equal((await call('deactivate', { licenseKey: other.licenseKey, machineFingerprint: machine() })).status, 403);
    assertRateLimited(await call('deactivate', { licenseKey: other.licenseKey, machineFingerprint: machine() }), 10, window);
  });

  it('scales with a floating licence: a released lease mints nothing', async () => {
    const { licenseKey } = await newLicense({ licenseType: 'floating', maxConcurrent: 8 });
    const window = privateWindow(3600);
    const call = clientIn(window);
    for (let i = 0; i < 16; i++) assert.equal((await call('deactivate', { licenseKey, machineFingerprint: machine() })).status, 403);
    assertRateLimited(await call('deactivate', { licenseKey, machineFingerprint: machine() }), 16, window);
    const site = await newLicense({}, { licenseType: 'site' });
    const r = await call('deactivate', { licenseKey: site.licenseKey, machineFingerprint: machine() });
    assert.equal(r.headers.get('x-ratelimit-limit'), '100', 'site licences: per IP only');
  });
});

