// Plan-level licence guide dialect (docs/reference/plan-license-keys-guide.txt, docs/dialects.md):
// /license/activate returns the instance ID, /license/validate the validity, expiry, activation
// count and limit and metadata, /license/deactivate takes the licence key and instance ID; the
// guide's refusals (expired, deactivated, limit reached) get their codes. Through the Hosting
// emulator and at the function URLs.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asCreator, BASE_URL, newCreator, newProduct, type CreatorFixture } from './helpers.ts';
import { at, isIsoTime } from './dialectHelpers.ts';

describe('Plan-level licence guide dialect', () => {
  let c: CreatorFixture;
  let productId: string;

  before(async () => {
    c = await newCreator('plan');
    productId = await newProduct(c, { maxMachines: 2 });
  });

  async function license(fields: Record<string, unknown> = {}): Promise<string> {
    const r = await asCreator(c.apiKey, 'createLicense', { productId, email: 'buyer@example.com', ...fields });
    assert.equal(r.status, 200, r.text);
    return r.body.licenseKey;
  }

  it('Workflow A and C: activate returns the instance ID; validate reports validity, expiry, count, limit and metadata', async () => {
    const key = await license({ expiresAt: '2030-01-01T00:00:00.000Z', metadata: { seats: 'team' } });
    const act = await at('/license/activate', { license_key: key, instance_name: 'Office iMac' });
    assert.equal(act.status, 200, act.text);
    assert.equal(act.body.activated, true);
    assert.match(act.body.instance.id, /\S/);
    assert.equal(act.body.instance.name, 'Office iMac');
    assert.ok(isIsoTime(act.body.instance.created_at));
    assert.deepEqual(act.body.license, { key, status: 'active', expires_at: '2030-01-01T00:00:00.000Z', activation_count: 1, activation_limit: 2 });

    const v = await at('/license/validate', { license_key: key, instance_id: act.body.instance.id });
    assert.equal(v.status, 200, v.text);
    assert.equal(v.body.valid, true);
    assert.deepEqual(v.body.license, { key, status: 'active', expires_at: '2030-01-01T00:00:00.000Z', activation_count: 1, activation_limit: 2, metadata: { seats: 'team' } });
    assert.deepEqual(v.body.instance, { id: act.body.instance.id, active: true });

    const plain = await at('/planValidate', { license_key: key }, { base: BASE_URL });
    assert.equal(plain.status, 200, plain.text);
    assert.equal(plain.body.instance, undefined);
  });

  it('Workflow B: deactivate by key and instance ID frees the slot; the key works on a new device', async () => {
    const key = await license({ maxMachines: 1 });
    const first = await at('/license/activate', { license_key: key });
    assert.equal(first.status, 200, first.text);
    const full = await at('/license/activate', { license_key: key });
    assert.equal(full.status, 403, full.text);
    assert.deepEqual([full.body.success, full.body.code, typeof full.body.error], [false, 'activation_limit_reached', 'string']);

    const off = await at('/license/deactivate', { license_key: key, instance_id: first.body.instance.id });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.deactivated, true);
    assert.equal(off.body.license.activation_count, 0);
    const gone = await at('/license/validate', { license_key: key, instance_id: first.body.instance.id });
    assert.deepEqual([gone.status, gone.body.valid, gone.body.instance.active], [200, true, false]);

    const next = await at('/planActivate', { license_key: key, instance_name: 'New laptop' }, { base: BASE_URL });
    assert.equal(next.status, 200, next.text);
    assert.notEqual(next.body.instance.id, first.body.instance.id);
  });

  it('refuses an expired licence and a deactivated one, on activate and validate', async () => {
    const expired = await license({ purchasedAt: '2020-01-01T00:00:00.000Z', durationDays: 30 });
    const a = await at('/license/activate', { license_key: expired });
    assert.deepEqual([a.status, a.body.success, a.body.code], [403, false, 'expired']);
    const v = await at('/license/validate', { license_key: expired });
    assert.deepEqual([v.status, v.body.valid, v.body.code], [403, false, 'expired']);

    const key = await license();
    assert.equal((await asCreator(c.apiKey, 'deactivateLicense', { licenseKey: key })).status, 200);
    const da = await at('/license/activate', { license_key: key });
    assert.deepEqual([da.status, da.body.code], [403, 'deactivated']);
    const dv = await at('/license/validate', { license_key: key });
    assert.deepEqual([dv.status, dv.body.valid, dv.body.code], [403, false, 'deactivated']);
  });

  it('names its own fields in a bad request, and answers an unknown key 404', async () => {
    const missing = await at('/license/deactivate', { license_key: await license() });
    assert.equal(missing.status, 400, missing.text);
    assert.match(missing.body.error, /instance_id/);
    const unknown = await at('/license/validate', { license_key: 'NO-SUCH-KEY-9' });
    assert.deepEqual([unknown.status, unknown.body.valid, unknown.body.code], [404, false, 'not_found']);
  });
});
