// The client's side of issue 12 against a fake Seatkey: the machine's label and metadata on
// activate, deactivating another machine by its activation id, and the new refusals as typed
// errors (DeviceBlockedError, TransferLimitError, LicenseDeactivatedError).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceBlockedError, LicenseDeactivatedError, NotActivatedError, SeatkeyError, TransferLimitError } from '../src/index.ts';
import { activated, fixture, MACHINE, PRODUCT, storedActivation } from './helpers.ts';

describe('activate with a label and metadata', () => {
  it('sends machineLabel as the hostname, and the metadata as given', async () => {
    const { client, fake, license } = await fixture();
    await client.activate(license.key, { machineLabel: 'Studio Mac', metadata: { os: 'macOS 15', appVersion: '2.4.0' } });
    assert.deepEqual(fake.lastBody.activate, {
      licenseKey: license.key,
      machineFingerprint: MACHINE,
      hostname: 'Studio Mac',
      productId: PRODUCT,
      metadata: { os: 'macOS 15', appVersion: '2.4.0' },
    });
  });

  it('refuses a blocked device with DeviceBlockedError and keeps no activation', async () => {
    const { client, license, storage } = await fixture();
    license.blocked = new Set([MACHINE]);
    const e = await client.activate(license.key).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof DeviceBlockedError, String(e));
    assert.equal(e.code, 'device_blocked');
    assert.equal(e.status, 403);
    assert.equal(e.definitive, true);
    assert.equal(await storedActivation(storage), null);
  });
});

describe('deactivate by activationId', () => {
  it("frees another machine's seat and keeps this machine's activation", async () => {
    const { client, fake, license, storage } = await activated({ license: { maxMachines: 3 } });
    license.activations.set('other-machine', 'act_other');
    const r = await client.deactivate({ activationId: 'act_other' });
    assert.equal(r.machinesUsed, 1);
    assert.deepEqual(fake.lastBody.deactivate, { licenseKey: license.key, activationId: 'act_other' });
    assert.equal((await storedActivation(storage))?.licenseKey, license.key, 'this machine is still activated');
    assert.equal((await client.validate()).valid, true);
  });

  it("with this machine's own id, forgets this machine's activation", async () => {
    const { client, license, storage } = await activated();
    const own = license.activations.get(MACHINE)!;
    await client.deactivate({ activationId: own });
    assert.equal(await storedActivation(storage), null);
    const e = await client.deactivate({ licenseKey: license.key, activationId: own }).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof NotActivatedError);
  });

  it('answers TransferLimitError past the licence transfers, keeping the activation', async () => {
    const { client, license, storage } = await activated({ license: { maxTransfers: 0 } });
    const e = await client.deactivate().then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof TransferLimitError, String(e));
    assert.equal(e.status, 429);
    assert.equal(e.retryAfterMs, 7 * 86_400_000);
    assert.equal(e.retryable, false);
    assert.equal(e.definitive, false);
    assert.equal((await storedActivation(storage))?.licenseKey, license.key, 'the seat is still held, and known');
  });
});

describe('a permanently deactivated licence', () => {
  it('is LicenseDeactivatedError, definitive: the cached activation is cleared', async () => {
    const { client, fake, storage } = await activated();
    fake.fail('validate', { status: 403, code: 'deactivated' });
    const r = await client.validate({ online: true });
    assert.equal(r.valid, false);
    assert.ok(!r.valid && r.error instanceof LicenseDeactivatedError, String(!r.valid && r.error));
    assert.ok(!r.valid && r.error instanceof SeatkeyError && r.error.definitive);
    assert.equal(await storedActivation(storage), null);
  });
});
