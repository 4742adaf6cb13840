// Licence management: listLicenses (filters, cursor pagination, scope), updateLicense, revoke and
// reinstate, resolveLicense, resetActivations, removeActivation and regenerateLicense, and the
// scheduled job that announces expiries. Machines come through activate (and the sweep, for a
// lease that ended); only violations of chosen severities are written directly (see addViolation).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateLicenseKey } from '../functions/src/domain/licenseKey.ts';
import type { ViolationRecord } from '../functions/src/domain/violation.ts';
import { run as expireLicenses } from '../functions/src/jobs/expireLicenses.ts';
import { activationsCollection } from '../functions/src/store/activations.ts';
import { db, put, transaction } from '../functions/src/store/firestore.ts';
import { getLicenseRecord, getPurchase, readLicense, writeLicense } from '../functions/src/store/licenses.ts';
import { violationsCollection } from '../functions/src/store/violations.ts';
import { client, lapse, machine, sweepOf } from './clientHelpers.ts';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, uid, type CreatorFixture } from './helpers.ts';

async function license(c: CreatorFixture, productId: string, fields: Record<string, unknown> = {}): Promise<string> {
  const r = await asCreator(c.apiKey, 'createLicense', { email: 'buyer@example.com', productId, ...fields });
  assert.equal(r.status, 200, r.text);
  return r.body.licenseKey;
}

const machineOf = client();

/** A machine activated on the licence through activate, as an app would. */
async function addActivation(key: string): Promise<{ activationId: string; machineFingerprint: string }> {
  const stored = await getLicenseRecord(key);
  assert.ok(stored);
  const machineFingerprint = machine();
  const r = await machineOf('activate', { licenseKey: key, machineFingerprint, hostname: 'build-box', productId: stored.productId });
  assert.equal(r.status, 200, r.text);
  return { activationId: r.body.activationId, machineFingerprint };
}

/** On a floating licence: a machine whose lease lapsed and the sweep ended (on record, no seat). */
async function addEndedLease(key: string): Promise<{ activationId: string }> {
  const a = await addActivation(key);
  await lapse(key, a.machineFingerprint);
  assert.equal((await sweepOf(new Date(), key)).leasesEnded, 1);
  return a;
}

/**
 * A violation written as detection would: the licence's level and count follow it. Written
 * directly because no endpoint makes a chosen set of severities: the detectors escalate each
 * violation on a flagged licence one level above the last, so 2, 3, 1 can only be set up here.
 */
async function addViolation(key: string, severity: 1 | 2 | 3): Promise<string> {
  const violation: ViolationRecord = { id: `vio_${randomBytes(8).toString('hex')}`, type: 'machine_churn', severity, detectedAt: new Date(), resolved: false, resolvedAt: null, details: {} };
  await transaction(async (tx) => {
    const l = await readLicense(tx, key);
    assert.ok(l);
    put(tx, (await violationsCollection(key)).doc(violation.id), violation);
    await writeLicense(tx, { ...l, violationLevel: Math.max(l.violationLevel, severity), unresolvedViolationsCount: l.unresolvedViolationsCount + 1 });
  });
  return violation.id;
}

async function eventsOf(key: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const snap = await (await db()).collection('events').where('licenseKey', '==', key).get();
  return snap.docs.map((d) => d.data() as { type: string; data: Record<string, unknown>; createdAt: { toMillis(): number } }).sort((a, b) => a.createdAt.toMillis() - b.createdAt.toMillis());
}

/** Every page of a listing, following nextCursor to the end. */
async function walk(apiKey: string, filter: Record<string, unknown>, limit: number, method: 'GET' | 'POST' = 'POST'): Promise<{ keys: string[]; pages: number; licenses: any[] }> {
  const licenses: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const fields: Record<string, unknown> = { ...filter, limit, ...(cursor ? { cursor } : {}) };
    const r =
      method === 'GET'
        ? await call('listLicenses', undefined, { method: 'GET', query: Object.fromEntries(Object.entries({ apiKey, ...fields }).map(([k, v]) => [k, String(v)])) })
        : await asCreator(apiKey, 'listLicenses', fields);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.licenses.length <= limit);
    licenses.push(...r.body.licenses);
    cursor = r.body.nextCursor;
    pages++;
    assert.ok(pages < 100, 'the walk ends');
  } while (cursor !== null);
  return { keys: licenses.map((l) => l.licenseKey), pages, licenses };
}

/** Whether consecutive licences follow (sort value, key) in the given direction, strictly. */
function ordered(licenses: any[], value: (l: any) => number, direction: 1 | -1): boolean {
  return licenses.every((l, i) => {
    if (i === 0) return true;
    const prev = licenses[i - 1];
    const d = Math.sign(value(l) - value(prev)) || Math.sign(l.licenseKey.localeCompare(prev.licenseKey));
    return d === direction;
  });
}
const createdAt = (l: any) => Date.parse(l.createdAt);
const lapsesAt = (l: any) => (l.expiresAt === null ? Number.MAX_SAFE_INTEGER : Date.parse(l.expiresAt));

describe('listLicenses', () => {
  it('walks 26 licences 7 at a time, newest first, with no duplicate and no gap (GET and POST)', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const created: string[] = [];
    for (let i = 0; i < 26; i++) created.push(await license(c, productId, { email: `buyer${i}@example.com` }));
    for (const method of ['POST', 'GET'] as const) {
      const { keys, pages, licenses } = await walk(c.apiKey, {}, 7, method);
      assert.equal(pages, 4);
      assert.equal(new Set(keys).size, keys.length, 'no duplicate');
      assert.deepEqual(new Set(keys), new Set(created), 'no gap');
      assert.ok(ordered(licenses, createdAt, -1), 'newest first, ties by key');
    }
    const first = await asCreator(c.apiKey, 'listLicenses', {});
    assert.equal(first.body.licenses.length, 26, 'default limit 50');
    assert.equal(first.body.nextCursor, null);
    assert.equal(first.body.licenses[0].key, first.body.licenses[0].licenseKey);
  });

  it('walks a status and a product filter with no duplicate and no gap; expiry is derived at read time', async () => {
    const c = await newCreator();
    const p1 = await newProduct(c);
    const p2 = await newProduct(c);
    const old = new Date(Date.now() - 40 * 86400_000).toISOString();
    const byStatus: Record<string, string[]> = { active: [], expired: [], revoked: [], suspended: [] };
    const byProduct: Record<string, string[]> = { [p1]: [], [p2]: [] };
    for (let i = 0; i < 30; i++) {
      const productId = i % 3 === 0 ? p2 : p1;
      const kind = i % 5 === 0 ? 'expired' : i % 7 === 0 ? 'revoked' : i === 4 ? 'suspended' : 'active';
      const extra = kind === 'expired' ? { purchasedAt: old, durationDays: 30 } : i % 2 === 0 ? { durationDays: 365 } : {};
      const key = await license(c, productId, extra);
      if (kind === 'revoked') assert.equal((await asCreator(c.apiKey, 'revokeLicense', { licenseKey: key })).status, 200);
      if (kind === 'suspended') assert.equal((await asCreator(c.apiKey, 'updateLicense', { licenseKey: key, status: 'suspended' })).status, 200);
      byStatus[kind]!.push(key);
      byProduct[productId]!.push(key);
    }
    assert.ok(byStatus.active!.length >= 15);
    for (const [status, expected] of Object.entries(byStatus)) {
      const { keys, licenses } = await walk(c.apiKey, { status }, 7);
      assert.equal(new Set(keys).size, keys.length, `${status}: no duplicate`);
      assert.deepEqual(new Set(keys), new Set(expected), `${status}: exactly the ${status} licences`);
      assert.ok(licenses.every((l) => l.status === status));
      const expiryOrdered = status === 'active' || status === 'expired';
      assert.ok(expiryOrdered ? ordered(licenses, lapsesAt, 1) : ordered(licenses, createdAt, -1), `${status}: in order`);
    }
    const p1Walk = await walk(c.apiKey, { productId: p1 }, 7);
    assert.equal(new Set(p1Walk.keys).size, p1Walk.keys.length);
    assert.deepEqual(new Set(p1Walk.keys), new Set(byProduct[p1]));
    const both = await walk(c.apiKey, { productId: p1, status: 'active' }, 7);
    assert.deepEqual(new Set(both.keys), new Set(byProduct[p1]!.filter((k) => byStatus.active!.includes(k))));
    assert.equal((await walk(c.apiKey, { status: 'degraded' }, 7)).keys.length, 0);
  });

  it('filters by email, and a licence whose expiry is moved back shows up as expired at once', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const mine = await license(c, productId, { email: 'Only.Me@Example.com' });
    await license(c, productId, { email: 'someone@example.com' });
    const r = await asCreator(c.apiKey, 'listLicenses', { email: 'only.me@example.com' });
    assert.deepEqual(r.body.licenses.map((l: any) => l.licenseKey), [mine]);
    await asCreator(c.apiKey, 'updateLicense', { licenseKey: mine, expiresAt: new Date(Date.now() - 1000).toISOString() });
    const expired = await asCreator(c.apiKey, 'listLicenses', { status: 'expired', email: 'only.me@example.com' });
    assert.deepEqual(expired.body.licenses.map((l: any) => l.licenseKey), [mine]);
  });

  it("shows a creator only its own licences; the super admin sees every creator's", async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const pa = await newProduct(a);
    const pb = await newProduct(b);
    const email = `${uid('shared')}@example.com`;
    const ka = await license(a, pa, { email });
    const kb = await license(b, pb, { email });
    const seenByA = await asCreator(a.apiKey, 'listLicenses', { email });
    assert.deepEqual(seenByA.body.licenses.map((l: any) => l.licenseKey), [ka]);
    assert.equal((await asCreator(a.apiKey, 'listLicenses', { productId: pb })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'listLicenses', { creatorId: b.creatorId })).status, 404);
    const all = await asAdmin('listLicenses', { email });
    assert.deepEqual(new Set(all.body.licenses.map((l: any) => l.licenseKey)), new Set([ka, kb]));
    const onlyB = await asAdmin('listLicenses', { email, creatorId: b.creatorId });
    assert.deepEqual(onlyB.body.licenses.map((l: any) => l.licenseKey), [kb]);
  });

  it('refuses bad input with 400, including a cursor it did not hand out', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    for (let i = 0; i < 3; i++) await license(c, productId);
    const page = await asCreator(c.apiKey, 'listLicenses', { limit: 1, status: 'active' });
    assert.ok(page.body.nextCursor);
    for (const body of [
      { limit: 0 },
      { limit: 501 },
      { limit: 'many' },
      { status: 'bogus' },
      { email: 'nope' },
      { cursor: 'not-a-cursor' },
      { cursor: page.body.nextCursor },
      { productId: 'Bad Slug' },
    ]) {
      const r = await asCreator(c.apiKey, 'listLicenses', body);
      assert.equal(r.status, 400, JSON.stringify(body) + r.text);
      assert.ok(isErrorShape(r.body, 'invalid_request'));
    }
    assert.equal((await asCreator(c.apiKey, 'listLicenses', { limit: 500 })).status, 200);
    assert.equal((await call('listLicenses', {})).status, 401);
  });
});

describe('updateLicense', () => {
  it('changes terms, status, expiry, email and metadata, records license.updated, and takes effect at once', async () => {
    const c = await newCreator();
    const productId = await newProduct(c, { maxConcurrent: 4 });
    await asCreator(c.apiKey, 'createVariant', { productId, name: 'Pro' });
    const key = await license(c, productId, { durationDays: 30 });
    const r = await asCreator(c.apiKey, 'updateLicense', { licenseKey: key, maxMachines: 5, expiresAt: null, email: 'New@Example.com', metadata: { seat: 'x' }, variant: 'pro' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.license.maxMachines, 5);
    assert.equal(r.body.license.expiresAt, null, 'null clears the expiry');
    assert.equal(r.body.license.email, 'new@example.com');
    assert.deepEqual(r.body.license.metadata, { seat: 'x' });
    assert.equal(r.body.license.variant, 'pro');
    // The new limit applies at once: five machines activate, the sixth is refused.
    for (let i = 0; i < 5; i++) await addActivation(key);
    const sixth = await machineOf('activate', { licenseKey: key, machineFingerprint: machine(), productId });
    assert.equal(sixth.status, 403);
    assert.equal(sixth.body.error, 'Machine limit reached (5). Deactivate another machine first.');

    const suspended = await asCreator(c.apiKey, 'updateLicense', { licenseKey: key, status: 'suspended' });
    assert.equal(suspended.body.license.status, 'suspended');
    assert.equal(suspended.body.license.threatLevel, 3);
    const degraded = await asCreator(c.apiKey, 'updateLicense', { licenseKey: key, status: 'degraded' });
    assert.equal(degraded.body.license.status, 'degraded');
    assert.equal(degraded.body.license.threatLevel, 2);
    const active = await asCreator(c.apiKey, 'updateLicense', { licenseKey: key, status: 'active' });
    assert.equal(active.body.license.status, 'active');
    assert.equal(active.body.license.threatLevel, 0);

    const floating = await asCreator(c.apiKey, 'updateLicense', { licenseKey: key, licenseType: 'floating' });
    assert.equal(floating.body.license.licenseType, 'floating');
    assert.equal(floating.body.license.maxConcurrent, 4, "the product's default");
    const perMachine = await asCreator(c.apiKey, 'updateLicense', { licenseKey: key, licenseType: 'per-machine' });
    assert.equal(perMachine.body.license.maxConcurrent, null);

    const past = await asCreator(c.apiKey, 'updateLicense', { licenseKey: key, expiresAt: new Date(Date.now() - 60_000).toISOString() });
    assert.equal(past.body.license.status, 'expired', 'a past expiry expires the licence at once');

    const updates = (await eventsOf(key)).filter((e) => e.type === 'license.updated');
    assert.equal(updates.length, 7);
    assert.deepEqual(new Set(updates[0]!.data.changed as string[]), new Set(['maxMachines', 'expiresAt', 'email', 'metadata', 'variant']));
  });

  it('keeps the machines already on when maxMachines is lowered, and refuses new ones until under it', async () => {
    const c = await newCreator();
    const productId = await newProduct(c, { maxMachines: 3 });
    const key = await license(c, productId);
    const [a, b, c3] = [await addActivation(key), await addActivation(key), await addActivation(key)];
    const lowered = await asCreator(c.apiKey, 'updateLicense', { licenseKey: key, maxMachines: 2 });
    assert.equal(lowered.status, 200, lowered.text);
    assert.equal(lowered.body.license.machinesUsed, 3, 'no machine is thrown off');
    const activate = (machineFingerprint: string) => machineOf('activate', { licenseKey: key, machineFingerprint, productId });
    const kept = await activate(c3.machineFingerprint);
    assert.equal(kept.status, 200, kept.text);
    assert.equal(kept.body.message, 'Machine already activated');
    const newcomer = machine();
    const refused = await activate(newcomer);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'Machine limit reached (2). Deactivate another machine first.');
    assert.equal((await machineOf('deactivate', { licenseKey: key, machineFingerprint: a.machineFingerprint })).status, 200);
    assert.equal((await activate(newcomer)).status, 403, 'two machines on a licence of two: still full');
    assert.equal((await machineOf('deactivate', { licenseKey: key, machineFingerprint: b.machineFingerprint })).status, 200);
    const admitted = await activate(newcomer);
    assert.equal(admitted.status, 200, admitted.text);
    assert.equal(admitted.body.machinesUsed, 2);
  });

  it('answers an unchanged licence without a new event', async () => {
    const c = await newCreator();
    const productId = await newProduct(c, { maxMachines: 2 });
    const key = await license(c, productId);
    const r = await asCreator(c.apiKey, 'updateLicense', { licenseKey: key, maxMachines: 2 });
    assert.equal(r.status, 200);
    assert.equal((await eventsOf(key)).filter((e) => e.type === 'license.updated').length, 0);
  });

  it('refuses bad input (400), and unknown, foreign or missing things (404)', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const productId = await newProduct(a);
    const key = await license(a, productId);
    for (const body of [
      { licenseKey: key },
      { licenseKey: key, maxMachines: 0 },
      { licenseKey: key, status: 'revoked' },
      { licenseKey: key, expiresAt: 'soon' },
      { licenseKey: key, maxConcurrent: 3 },
      { licenseKey: key, email: 'x' },
      { licenseKey: key, metadata: [1] },
      { licenseKey: 'ACME 0000', maxMachines: 2 },
      { maxMachines: 2 },
    ]) {
      const r = await asCreator(a.apiKey, 'updateLicense', body);
      assert.equal(r.status, 400, JSON.stringify(body) + r.text);
      assert.ok(isErrorShape(r.body, 'invalid_request'));
    }
    assert.equal((await asCreator(a.apiKey, 'updateLicense', { licenseKey: key, variant: 'nope' })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'updateLicense', { licenseKey: generateLicenseKey('ZZ'), maxMachines: 2 })).status, 404);
    const foreign = await asCreator(b.apiKey, 'updateLicense', { licenseKey: key, maxMachines: 9 });
    assert.equal(foreign.status, 404);
    assert.ok(isErrorShape(foreign.body, 'not_found'));
    assert.equal((await getLicenseRecord(key))?.maxMachines, 1, 'nothing changed');
    assert.equal((await asAdmin('updateLicense', { licenseKey: key, maxMachines: 9 })).status, 200, 'the super admin sees all');
  });
});

describe('revokeLicense and reinstateLicense', () => {
  it('revokes with a reason (refund and chargeback mark a dispute), keeps activations, and reinstates', async () => {
    const c = await newCreator();
    const productId = await newProduct(c, { maxMachines: 3 });
    const key = await license(c, productId);
    await addActivation(key);
    const revoked = await asCreator(c.apiKey, 'revokeLicense', { licenseKey: key, reason: 'refund' });
    assert.equal(revoked.status, 200, revoked.text);
    const l = revoked.body.license;
    assert.equal(l.status, 'revoked');
    assert.equal(l.threatLevel, 4);
    assert.equal(l.revokeReason, 'refund');
    assert.equal(l.disputeReason, 'refund');
    assert.equal(l.machinesUsed, 1, 'activations stay on record');
    const again = await asCreator(c.apiKey, 'revokeLicense', { licenseKey: key, reason: 'refund' });
    assert.equal(again.status, 200);
    const chargeback = await asCreator(c.apiKey, 'revokeLicense', { licenseKey: key, reason: 'chargeback' });
    assert.equal(chargeback.body.license.disputeReason, 'chargeback');

    const reinstated = await asCreator(c.apiKey, 'reinstateLicense', { licenseKey: key, reason: 'manual' });
    assert.equal(reinstated.status, 200, reinstated.text);
    assert.equal(reinstated.body.license.status, 'active');
    assert.equal(reinstated.body.license.threatLevel, 0);
    assert.equal(reinstated.body.license.revokeReason, null);
    assert.equal(reinstated.body.license.disputeReason, null);
    assert.equal(reinstated.body.license.machinesUsed, 1);
    const noop = await asCreator(c.apiKey, 'reinstateLicense', { licenseKey: key });
    assert.equal(noop.status, 200);

    const types = (await eventsOf(key)).map((e) => e.type).filter((t) => t.startsWith('license.'));
    assert.deepEqual(types, ['license.created', 'license.revoked', 'license.updated', 'license.reinstated']);

    const manual = await asCreator(c.apiKey, 'revokeLicense', { licenseKey: key });
    assert.equal(manual.body.license.revokeReason, 'manual', 'the default reason');
    assert.equal(manual.body.license.disputeReason, null);
  });

  it('refuses bad reasons (400) and foreign or unknown licences (404)', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const key = await license(a, await newProduct(a));
    for (const name of ['revokeLicense', 'reinstateLicense']) {
      assert.equal((await asCreator(a.apiKey, name, { licenseKey: key, reason: 'boredom' })).status, 400);
      assert.equal((await asCreator(a.apiKey, name, {})).status, 400);
      assert.equal((await asCreator(a.apiKey, name, { licenseKey: 42 })).status, 400);
      assert.equal((await asCreator(b.apiKey, name, { licenseKey: key })).status, 404);
      assert.equal((await asCreator(a.apiKey, name, { licenseKey: generateLicenseKey('ZZ') })).status, 404);
    }
    assert.equal((await getLicenseRecord(key))?.revoked, false);
  });
});

describe('resolveLicense', () => {
  it('resolves the named violations, then all, recomputing the threat level', async () => {
    const c = await newCreator();
    const key = await license(c, await newProduct(c));
    const v2 = await addViolation(key, 2);
    const v3 = await addViolation(key, 3);
    await addViolation(key, 1);
    const before = await asCreator(c.apiKey, 'getLicense', { licenseKey: key });
    assert.equal(before.body.license.threatLevel, 3);
    assert.equal(before.body.license.status, 'suspended');

    const one = await asCreator(c.apiKey, 'resolveLicense', { licenseKey: key, violationIds: [v3] });
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body.license.threatLevel, 2);
    assert.equal(one.body.license.status, 'degraded');
    assert.equal(one.body.license.unresolvedViolationsCount, 2);

    const all = await asCreator(c.apiKey, 'resolveLicense', { licenseKey: key });
    assert.equal(all.body.license.threatLevel, 0);
    assert.equal(all.body.license.status, 'active');
    assert.equal(all.body.license.unresolvedViolationsCount, 0);
    const after = await asCreator(c.apiKey, 'getLicense', { licenseKey: key });
    assert.ok(after.body.violations.every((v: any) => v.resolved && v.resolvedAt));
    assert.ok(after.body.violations.some((v: any) => v.id === v2));
  });

  it('answers an unknown violation or a foreign licence with 404, and bad ids with 400', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const key = await license(a, await newProduct(a));
    await addViolation(key, 2);
    assert.equal((await asCreator(a.apiKey, 'resolveLicense', { licenseKey: key, violationIds: ['vio_nope'] })).status, 404);
    assert.equal((await asCreator(b.apiKey, 'resolveLicense', { licenseKey: key })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'resolveLicense', { licenseKey: key, violationIds: [] })).status, 400);
    assert.equal((await asCreator(a.apiKey, 'resolveLicense', { licenseKey: key, violationIds: 'all' })).status, 400);
    assert.equal((await getLicenseRecord(key))?.unresolvedViolationsCount, 1, 'nothing changed');
  });
});

describe('resetActivations and removeActivation', () => {
  it('resetActivations deletes every activation and frees every seat', async () => {
    const c = await newCreator();
    const key = await license(c, await newProduct(c, { licenseType: 'floating', maxConcurrent: 5 }));
    await addActivation(key);
    await addActivation(key);
    await addEndedLease(key);
    assert.equal((await getLicenseRecord(key))?.machinesUsed, 2);
    const r = await asCreator(c.apiKey, 'resetActivations', { licenseKey: key });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.deletedCount, 3);
    const after = await asCreator(c.apiKey, 'getLicense', { licenseKey: key });
    assert.deepEqual(after.body.activations, []);
    assert.equal(after.body.license.machinesUsed, 0);
    assert.equal((await eventsOf(key)).filter((e) => e.type === 'activation.removed' && e.data.reason === 'reset').length, 3);
    assert.equal((await asCreator(c.apiKey, 'resetActivations', { licenseKey: key })).body.deletedCount, 0);
  });

  it('removeActivation removes one machine and frees the seat it held', async () => {
    const c = await newCreator();
    const key = await license(c, await newProduct(c, { licenseType: 'floating', maxConcurrent: 5 }));
    const held = await addActivation(key);
    const lapsed = await addEndedLease(key);
    const kept = await addActivation(key);
    const r = await asCreator(c.apiKey, 'removeActivation', { licenseKey: key, activationId: held.activationId });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.machinesUsed, 1);
    const noSeat = await asCreator(c.apiKey, 'removeActivation', { licenseKey: key, activationId: lapsed.activationId });
    assert.equal(noSeat.body.machinesUsed, 1, 'a lapsed floating lease held no seat');
    const left = await asCreator(c.apiKey, 'getLicense', { licenseKey: key });
    assert.deepEqual(left.body.activations.map((a: any) => a.activationId), [kept.activationId]);
    assert.equal(left.body.activations[0].hostname, 'build-box');
    const again = await asCreator(c.apiKey, 'removeActivation', { licenseKey: key, activationId: held.activationId });
    assert.equal(again.status, 404);
    assert.ok(isErrorShape(again.body, 'not_found'));
  });

  it("keeps another creator's activations out of reach (404) and refuses bad input (400)", async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const key = await license(a, await newProduct(a, { maxMachines: 3 }));
    const act = await addActivation(key);
    assert.equal((await asCreator(b.apiKey, 'removeActivation', { licenseKey: key, activationId: act.activationId })).status, 404);
    assert.equal((await asCreator(b.apiKey, 'resetActivations', { licenseKey: key })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'removeActivation', { licenseKey: key })).status, 400);
    assert.equal((await asCreator(a.apiKey, 'removeActivation', { licenseKey: key, activationId: '' })).status, 400);
    assert.equal((await asCreator(a.apiKey, 'removeActivation', { licenseKey: 'nope', activationId: act.activationId })).status, 400);
    assert.equal((await asCreator(a.apiKey, 'resetActivations', { licenseKey: 12 })).status, 400);
    assert.equal((await getLicenseRecord(key))?.machinesUsed, 1, 'nothing changed');
    assert.equal((await asAdmin('removeActivation', { licenseKey: key, activationId: act.activationId })).body.machinesUsed, 0);
  });
});

describe('regenerateLicense', () => {
  it('moves the licence to a new key: the old one is gone everywhere, its activations with it', async () => {
    const c = await newCreator();
    const productId = await newProduct(c, { maxMachines: 3 });
    const purchaseId = uid('order');
    const old = await license(c, productId, { purchaseId, metadata: { plan: 'pro' } });
    await addActivation(old);
    await addActivation(old);
    const violation = await addViolation(old, 1);

    const r = await asCreator(c.apiKey, 'regenerateLicense', { licenseKey: old });
    assert.equal(r.status, 200, r.text);
    const fresh = r.body.licenseKey as string;
    assert.notEqual(fresh, old);
    assert.equal(fresh.split('-')[0], old.split('-')[0], 'same creator prefix');
    assert.equal(r.body.license.machinesUsed, 0);
    assert.deepEqual(r.body.license.metadata, { plan: 'pro' });

    const gone = await asCreator(c.apiKey, 'getLicense', { licenseKey: old });
    assert.equal(gone.status, 404, 'the old key is dead at once');
    assert.equal((await asCreator(c.apiKey, 'updateLicense', { licenseKey: old, maxMachines: 9 })).status, 404);
    assert.equal((await (await activationsCollection(old)).get()).size, 0, 'no activation left under the old key');
    assert.equal((await (await violationsCollection(old)).get()).size, 0);

    const now = await asCreator(c.apiKey, 'getLicense', { licenseKey: fresh });
    assert.equal(now.status, 200);
    assert.deepEqual(now.body.activations, [], 'every machine must activate again');
    assert.deepEqual(now.body.violations.map((v: any) => v.id), [violation], 'violations history moved');
    assert.equal(now.body.license.unresolvedViolationsCount, 1);
    assert.equal(now.body.license.purchaseId, purchaseId);

    assert.equal((await getPurchase(c.creatorId, purchaseId))?.licenseKey, fresh, 'the purchase points at the new key');
    const replay = await asCreator(c.apiKey, 'createLicense', { email: 'buyer@example.com', productId, purchaseId });
    assert.equal(replay.body.licenseKey, fresh, 'a repeated purchase finds the new key, never the old');
    const listed = await asCreator(c.apiKey, 'listLicenses', { productId });
    assert.deepEqual(listed.body.licenses.map((l: any) => l.licenseKey), [fresh]);
    const events = await eventsOf(fresh);
    assert.deepEqual(events.map((e) => e.type), ['license.regenerated']);
    assert.equal(events[0]!.data.previousLicenseKey, old);
  });

  it("refuses another creator's or an unknown licence (404) and bad keys (400)", async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const key = await license(a, await newProduct(a));
    assert.equal((await asCreator(b.apiKey, 'regenerateLicense', { licenseKey: key })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'regenerateLicense', { licenseKey: generateLicenseKey('ZZ') })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'regenerateLicense', {})).status, 400);
    assert.equal((await asCreator(a.apiKey, 'regenerateLicense', { licenseKey: key.slice(0, -1) })).status, 400);
    assert.ok(await getLicenseRecord(key), 'untouched');
  });
});

describe('expireLicenses (scheduled)', () => {
  it("announces each expiry once, in its scope only, from a cursor of the scope's own", async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const soon = new Date(Date.now() + 3600_000).toISOString();
    const [expiring, perpetual, outside] = [await license(c, productId, { expiresAt: soon }), await license(c, productId), await license(c, productId, { expiresAt: soon })];
    // Two hours on, instead of waiting: the job takes the time it runs at.
    const later = new Date(Date.now() + 2 * 3600_000);
    const scope = { licenseKeys: [expiring, perpetual] };
    assert.equal(await expireLicenses(new Date(), scope), 0, 'nothing has expired yet');
    assert.equal(await expireLicenses(later, scope), 1);
    assert.equal(await expireLicenses(later, scope), 0, 'announced once');
    const announced = await asCreator(c.apiKey, 'listEvents', { type: 'license.expired' });
    assert.equal(announced.status, 200, announced.text);
    assert.deepEqual(announced.body.events.map((e: any) => e.licenseKey), [expiring], 'not the perpetual one, nor the one outside the scope');
    assert.equal(announced.body.events[0].data.expiresAt, soon);
    assert.equal(await expireLicenses(later, { licenseKeys: [outside] }), 1, 'another scope keeps its own cursor');
  });
});
