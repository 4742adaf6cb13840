// Machines on a licence as the seed systems' clients use them (issue 12): activate without naming
// the product, deactivate by activation id, validate by key and fingerprint without a token
// (`isActivated`), labels and metadata, lastSeen from validate and verify, blocked devices and
// the transfer limit, the last two under concurrency too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprintHash } from '../functions/src/domain/activation.ts';
import { activationRef } from '../functions/src/store/activations.ts';
import { activationsOf, client, isValidError, machine, newLicense, seatsHeld, storedLicense } from './clientHelpers.ts';
import { asCreator, isErrorShape, newProduct } from './helpers.ts';

/** Each call from an IP of its own: these tests are not about the per-IP limit. */
const app = (name: string, body: unknown) => client()(name, body);

async function activated(licenseKey: string, extra: Record<string, unknown> = {}) {
  const machineFingerprint = machine();
  const r = await app('activate', { licenseKey, machineFingerprint, ...extra });
  assert.equal(r.status, 200, r.text);
  return { machineFingerprint, activationId: r.body.activationId as string, token: r.body.token as string };
}

/** Retries the 503 `busy` replies of a burst one by one, so the burst's outcome is exact. */
async function settled(replies: { status: number; body: any }[], again: (i: number) => Promise<{ status: number; body: any }>) {
  for (let i = 0; i < replies.length; i++) while (replies[i]!.status === 503) replies[i] = await again(i);
  return replies;
}

describe('activate without a productId', () => {
  it('takes the product from the licence; wrong_product only when one is named and not covered', async () => {
    const { creator, productId, licenseKey } = await newLicense();
    const r = await app('activate', { licenseKey, machineFingerprint: machine() });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.productId, productId);
    const other = await newProduct(creator);
    const wrong = await app('activate', { licenseKey, machineFingerprint: machine(), productId: other });
    assert.equal(wrong.status, 403);
    assert.ok(isErrorShape(wrong.body, 'wrong_product'));
  });
});

describe('deactivate by activationId', () => {
  it('frees the seat of the machine the id names, and only on its own licence', async () => {
    const { licenseKey } = await newLicense({ maxMachines: 2 });
    const a = await activated(licenseKey);
    const b = await activated(licenseKey);
    const elsewhere = await newLicense();
    const foreign = await app('deactivate', { licenseKey: elsewhere.licenseKey, activationId: a.activationId });
    assert.equal(foreign.status, 403);
    assert.ok(isErrorShape(foreign.body, 'not_activated'));
    const r = await app('deactivate', { licenseKey, activationId: a.activationId });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.machinesUsed, 1);
    assert.deepEqual((await activationsOf(licenseKey)).map((x) => x.activationId), [b.activationId]);
    const both = await app('deactivate', { licenseKey, activationId: b.activationId, machineFingerprint: b.machineFingerprint });
    assert.equal(both.status, 400);
    const neither = await app('deactivate', { licenseKey });
    assert.equal(neither.status, 400);
    assert.equal(await seatsHeld(licenseKey), 1);
  });
});

describe('validate by licence key and fingerprint', () => {
  it('says isActivated false with no token for a machine without a seat, and a fresh token for one with', async () => {
    const { productId, licenseKey } = await newLicense();
    const fp = machine();
    const before = await app('validate', { licenseKey, machineFingerprint: fp });
    assert.equal(before.status, 200, before.text);
    assert.equal(before.body.valid, true);
    assert.equal(before.body.isActivated, false);
    assert.equal(before.body.token, undefined);
    assert.equal(before.body.status, 'active');
    const act = await app('activate', { licenseKey, machineFingerprint: fp });
    const after = await app('validate', { licenseKey, machineFingerprint: fp });
    assert.equal(after.status, 200, after.text);
    assert.equal(after.body.isActivated, true);
    assert.equal(after.body.activationId, act.body.activationId);
    assert.equal(after.body.productId, productId);
    // The token it returns is one validate accepts.
    const again = await app('validate', { token: after.body.token, machineFingerprint: fp });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.isActivated, true);
  });

  it('refuses an unknown key, a revoked licence and a request with neither token nor key', async () => {
    const { creator, licenseKey } = await newLicense();
    const none = await app('validate', { machineFingerprint: machine() });
    assert.equal(none.status, 400);
    assert.ok(isValidError(none.body, 'invalid_request'));
    await asCreator(creator.apiKey, 'revokeLicense', { licenseKey });
    const revoked = await app('validate', { licenseKey, machineFingerprint: machine() });
    assert.equal(revoked.status, 403);
    assert.ok(isValidError(revoked.body, 'revoked'));
    const unknown = await app('validate', { licenseKey: licenseKey.slice(0, -2) + (licenseKey.endsWith('AA') ? 'BB' : 'AA'), machineFingerprint: machine() });
    assert.ok(unknown.status === 404 || unknown.status === 400, unknown.text);
  });
});

describe('activation labels, metadata and lastSeen', () => {
  it('keeps machineLabel and metadata and shows them in getLicense', async () => {
    const { creator, licenseKey } = await newLicense();
    const a = await activated(licenseKey, { machineLabel: 'Studio Mac', metadata: { os: 'macOS 15.1', appVersion: '2.4.0' } });
    const got = await asCreator(creator.apiKey, 'getLicense', { licenseKey });
    assert.equal(got.status, 200, got.text);
    const shown = got.body.activations.find((x: any) => x.activationId === a.activationId);
    assert.equal(shown.hostname, 'Studio Mac');
    assert.deepEqual(shown.metadata, { os: 'macOS 15.1', appVersion: '2.4.0' });
    assert.equal(shown.blocked, false);
    // Activating again updates them.
    await app('activate', { licenseKey, machineFingerprint: a.machineFingerprint, metadata: { os: 'macOS 15.2' } });
    assert.deepEqual((await activationsOf(licenseKey))[0]!.metadata, { os: 'macOS 15.2' });
  });

  it('refuses oversized or conflicting machine details with a 400', async () => {
    const { licenseKey } = await newLicense();
    const big = await app('activate', { licenseKey, machineFingerprint: machine(), metadata: { blob: 'x'.repeat(3000) } });
    assert.equal(big.status, 400);
    assert.ok(isErrorShape(big.body, 'invalid_request'));
    const many = await app('activate', { licenseKey, machineFingerprint: machine(), metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) });
    assert.equal(many.status, 400);
    const clash = await app('activate', { licenseKey, machineFingerprint: machine(), hostname: 'a', machineLabel: 'b' });
    assert.equal(clash.status, 400);
    assert.equal(await seatsHeld(licenseKey), 0);
  });

  it('updates lastSeen from validate and verify-with-machine once it is stale, not on every call', async () => {
    const { licenseKey } = await newLicense();
    const a = await activated(licenseKey);
    const ref = await activationRef(licenseKey, fingerprintHash(a.machineFingerprint));
    const recent = new Date(Date.now() - 60_000);
    await ref.update({ lastSeen: recent });
    await app('validate', { token: a.token, machineFingerprint: a.machineFingerprint });
    await app('verify', { licenseKey, machineFingerprint: a.machineFingerprint });
    assert.equal((await activationsOf(licenseKey))[0]!.lastSeen.getTime(), recent.getTime(), 'a minute-old lastSeen is not rewritten');
    // An hour-old one is (written directly: only an hour passing makes it so).
    await ref.update({ lastSeen: new Date(Date.now() - 3600_000) });
    await app('validate', { licenseKey, machineFingerprint: a.machineFingerprint });
    assert.ok((await activationsOf(licenseKey))[0]!.lastSeen.getTime() > Date.now() - 60_000);
    await ref.update({ lastSeen: new Date(Date.now() - 3600_000) });
    const v = await app('verify', { licenseKey, machineFingerprint: a.machineFingerprint });
    assert.equal(v.body.isActivated, true);
    assert.equal(v.body.activationId, a.activationId);
    assert.ok((await activationsOf(licenseKey))[0]!.lastSeen.getTime() > Date.now() - 60_000);
    const unknown = await app('verify', { licenseKey, machineFingerprint: machine() });
    assert.equal(unknown.body.isActivated, false);
    // The activation id (the plan guide's instance ID) works as well as the fingerprint.
    const byId = await app('verify', { licenseKey, activationId: a.activationId });
    assert.equal(byId.body.isActivated, true, byId.text);
    assert.equal((await app('verify', { licenseKey, activationId: 'act_nope' })).body.isActivated, false);
    assert.equal((await app('verify', { licenseKey })).body.isActivated, undefined, 'no machine named, no answer about one');
  });
});

describe('blocked devices', () => {
  it('removeActivation {block} refuses the device on activate, validate and heartbeat until unblockDevice', async () => {
    const { creator, licenseKey } = await newLicense({ maxMachines: 2 });
    const a = await activated(licenseKey);
    const r = await asCreator(creator.apiKey, 'removeActivation', { licenseKey, activationId: a.activationId, block: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.machinesUsed, 0);
    for (const [name, body] of [
      ['activate', { licenseKey, machineFingerprint: a.machineFingerprint }],
      ['heartbeat', { licenseKey, machineFingerprint: a.machineFingerprint }],
      ['deactivate', { licenseKey, machineFingerprint: a.machineFingerprint }],
    ] as const) {
      const x = await app(name, body);
      assert.equal(x.status, 403, `${name}: ${x.text}`);
      assert.ok(isErrorShape(x.body, 'device_blocked'), x.text);
    }
    for (const body of [{ licenseKey, machineFingerprint: a.machineFingerprint }, { token: a.token, machineFingerprint: a.machineFingerprint }]) {
      const x = await app('validate', body);
      assert.equal(x.status, 403, x.text);
      assert.ok(isValidError(x.body, 'device_blocked'), x.text);
    }
    const shown = (await asCreator(creator.apiKey, 'getLicense', { licenseKey })).body.activations;
    assert.equal(shown.length, 1);
    assert.equal(shown[0].blocked, true);
    assert.equal(shown[0].sessionActive, false);
    // A reset is not an unblock; another machine is unaffected.
    await asCreator(creator.apiKey, 'resetActivations', { licenseKey });
    assert.equal((await app('activate', { licenseKey, machineFingerprint: a.machineFingerprint })).status, 403);
    await activated(licenseKey);
    // Tenancy: another creator cannot unblock it.
    const stranger = await newLicense();
    const foreign = await asCreator(stranger.creator.apiKey, 'unblockDevice', { licenseKey, activationId: a.activationId });
    assert.equal(foreign.status, 404);
    const u = await asCreator(creator.apiKey, 'unblockDevice', { licenseKey, activationId: a.activationId });
    assert.equal(u.status, 200, u.text);
    assert.equal((await asCreator(creator.apiKey, 'unblockDevice', { licenseKey, activationId: a.activationId })).status, 404);
    const back = await app('activate', { licenseKey, machineFingerprint: a.machineFingerprint });
    assert.equal(back.status, 200, back.text);
    assert.equal((await storedLicense(licenseKey)).machinesUsed, 2);
  });

  it('holds under concurrency: a block racing activations leaves the device without a seat', async () => {
    const { creator, licenseKey } = await newLicense({ maxMachines: 3 });
    const a = await activated(licenseKey);
    const [block, ...rest] = await Promise.all([
      asCreator(creator.apiKey, 'removeActivation', { licenseKey, activationId: a.activationId, block: true }),
      ...Array.from({ length: 6 }, () => app('activate', { licenseKey, machineFingerprint: a.machineFingerprint })),
    ]);
    assert.equal(block!.status, 200, block!.text);
    for (const x of rest) assert.ok([200, 403, 503].includes(x.status), x.text);
    const after = await Promise.all(Array.from({ length: 6 }, () => app('activate', { licenseKey, machineFingerprint: a.machineFingerprint })));
    for (const x of after) {
      assert.ok(x.status === 403 || x.status === 503, x.text);
      if (x.status === 403) assert.ok(isErrorShape(x.body, 'device_blocked'), x.text);
    }
    const [record] = await activationsOf(licenseKey);
    assert.equal(record!.blocked, true);
    assert.equal(record!.sessionActive, false);
    assert.equal((await storedLicense(licenseKey)).machinesUsed, 0);
    assert.equal(await seatsHeld(licenseKey), 0);
  });
});

describe('transfer limit', () => {
  it('allows maxTransfers seat-freeing deactivations and removals per 30 days, then 429 transfer_limit', async () => {
    const { creator, licenseKey } = await newLicense({ maxMachines: 5 }, { maxTransfers: 2 });
    const [a, b, c] = [await activated(licenseKey), await activated(licenseKey), await activated(licenseKey)];
    assert.equal((await app('deactivate', { licenseKey, activationId: a!.activationId })).status, 200);
    assert.equal((await asCreator(creator.apiKey, 'removeActivation', { licenseKey, activationId: b!.activationId })).status, 200);
    const third = await app('deactivate', { licenseKey, machineFingerprint: c!.machineFingerprint });
    assert.equal(third.status, 429, third.text);
    assert.ok(isErrorShape(third.body, 'transfer_limit'));
    assert.ok(Number(third.headers.get('retry-after')) > 29 * 86_400);
    const removal = await asCreator(creator.apiKey, 'removeActivation', { licenseKey, activationId: c!.activationId });
    assert.equal(removal.status, 429);
    // Nothing changed with the refusals; a block is never refused; the licence shows its count.
    assert.equal(await seatsHeld(licenseKey), 1);
    const got = (await asCreator(creator.apiKey, 'getLicense', { licenseKey })).body.license;
    assert.equal(got.maxTransfers, 2);
    assert.equal(got.transfersUsed, 2);
    assert.equal((await asCreator(creator.apiKey, 'removeActivation', { licenseKey, activationId: c!.activationId, block: true })).status, 200);
    // Raising the limit lets the next one through.
    const d = await activated(licenseKey);
    assert.equal((await asCreator(creator.apiKey, 'updateLicense', { licenseKey, maxTransfers: 3 })).status, 200);
    assert.equal((await app('deactivate', { licenseKey, activationId: d.activationId })).status, 200);
  });

  it('holds under concurrency: a burst of deactivations frees exactly maxTransfers seats', async () => {
    const { creator, licenseKey } = await newLicense({ maxMachines: 8 }, { maxTransfers: 3 });
    const machines: { activationId: string }[] = [];
    for (let i = 0; i < 8; i++) machines.push(await activated(licenseKey));
    const one = (i: number) =>
      i % 2 === 0
        ? app('deactivate', { licenseKey, activationId: machines[i]!.activationId })
        : asCreator(creator.apiKey, 'removeActivation', { licenseKey, activationId: machines[i]!.activationId });
    const replies = await settled(await Promise.all(machines.map((_, i) => one(i))), one);
    const ok = replies.filter((r) => r.status === 200).length;
    for (const r of replies) assert.ok(r.status === 200 || (r.status === 429 && isErrorShape(r.body, 'transfer_limit')), JSON.stringify(r.body));
    assert.equal(ok, 3);
    const stored = await storedLicense(licenseKey);
    assert.equal(stored.machinesUsed, 5);
    assert.equal(await seatsHeld(licenseKey), 5);
    assert.equal(stored.transfers?.length, 3);
  });
});
