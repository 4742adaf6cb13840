// createLicense and getLicense: terms from variant and product, idempotent purchases (also under
// concurrency), the key format, scope, and bad input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateLicenseKey } from '../functions/src/domain/licenseKey.ts';
import { db } from '../functions/src/store/firestore.ts';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, uid } from './helpers.ts';

describe('createLicense', () => {
  it('issues a licence with the product defaults and a key with the creator prefix', async () => {
    const c = await newCreator('acme');
    const productId = await newProduct(c, { maxMachines: 3 });
    const r = await asCreator(c.apiKey, 'createLicense', { email: 'Buyer@Example.com', productId });
    assert.equal(r.status, 200, r.text);
    const prefix = c.creatorId.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 8);
    assert.match(r.body.licenseKey, new RegExp(`^${prefix}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$`));
    const l = r.body.license;
    assert.equal(l.licenseKey, r.body.licenseKey);
    assert.equal(l.key, r.body.licenseKey, 'CG clients read `key`');
    assert.equal(l.email, 'buyer@example.com');
    assert.equal(l.productId, productId);
    assert.equal(l.licenseType, 'per-machine');
    assert.equal(l.maxMachines, 3);
    assert.equal(l.maxConcurrent, null);
    assert.equal(l.machinesUsed, 0);
    assert.equal(l.status, 'active');
    assert.equal(l.threatLevel, 0);
    assert.equal(l.unresolvedViolationsCount, 0);
    assert.equal(l.expiresAt, null);
    assert.equal(l.variant, null);
    assert.deepEqual(l.unlockedProducts, []);
    assert.deepEqual(l.metadata, {});
    assert.equal(r.body.created, true);
  });

  it('takes terms from the request, else the variant, else the product', async () => {
    const c = await newCreator();
    const productId = await newProduct(c, { maxMachines: 2, durationDays: 30 });
    await asCreator(c.apiKey, 'createVariant', { productId, name: 'Team', licenseType: 'floating', maxConcurrent: 5, duration: { value: 1, unit: 'years' } });
    const purchasedAt = '2026-01-31T10:00:00.000Z';
    const viaVariant = await asCreator(c.apiKey, 'createLicense', { email: 'a@b.co', productId, variant: 'team', purchasedAt });
    assert.equal(viaVariant.status, 200, viaVariant.text);
    assert.equal(viaVariant.body.license.licenseType, 'floating');
    assert.equal(viaVariant.body.license.maxConcurrent, 5);
    assert.equal(viaVariant.body.license.maxMachines, 2, 'inherited from the product');
    assert.equal(viaVariant.body.license.expiresAt, '2027-01-31T10:00:00.000Z');
    assert.equal(viaVariant.body.license.variant, 'team');
    const monthly = await asCreator(c.apiKey, 'createLicense', { email: 'a@b.co', productId, purchasedAt, duration: { value: 1, unit: 'months' }, maxMachines: -1 });
    assert.equal(monthly.status, 200, monthly.text);
    assert.equal(monthly.body.license.expiresAt, '2026-02-28T10:00:00.000Z', 'a month from 31 January ends on the last day of February');
    assert.equal(monthly.body.license.status, 'expired', 'an old purchase may be imported already expired');
    assert.equal(monthly.body.license.maxMachines, -1);
    const days = await asCreator(c.apiKey, 'createLicense', { email: 'a@b.co', productId });
    assert.equal(days.status, 200, days.text);
    const expected = Date.now() + 30 * 86400_000;
    assert.ok(Math.abs(new Date(days.body.license.expiresAt).getTime() - expected) < 60_000);
    const at = new Date(Date.now() + 10 * 86400_000).toISOString();
    const explicit = await asCreator(c.apiKey, 'createLicense', { email: 'a@b.co', productId, expiresAt: at });
    assert.equal(explicit.status, 200, explicit.text);
    assert.equal(explicit.body.license.expiresAt, at);
    const perpetual = await asCreator(c.apiKey, 'createLicense', { email: 'a@b.co', productId, expiresAt: null });
    assert.equal(perpetual.status, 200, perpetual.text);
    assert.equal(perpetual.body.license.expiresAt, null);
    const site = await asCreator(c.apiKey, 'createLicense', { email: 'a@b.co', productId, licenseType: 'site' });
    assert.equal(site.status, 200, site.text);
    assert.equal(site.body.license.maxMachines, -1, 'site licences take no seat');
  });

  it('returns the first licence for a repeated purchaseId', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const purchaseId = uid('order');
    const first = await asCreator(c.apiKey, 'createLicense', { email: 'a@b.co', productId, purchaseId, metadata: { plan: 'pro' } });
    const again = await asCreator(c.apiKey, 'createLicense', { email: 'other@b.co', productId, purchaseId });
    assert.equal(first.status, 200, first.text);
    assert.equal(again.status, 200, again.text);
    assert.match(first.body.licenseKey, /^[A-Z0-9]+-/);
    assert.equal(again.body.licenseKey, first.body.licenseKey);
    assert.equal(again.body.created, false);
    assert.equal(again.body.license.email, 'a@b.co');
    assert.equal(first.body.license.purchaseId, purchaseId);
    assert.ok(first.body.license.purchasedAt);
  });

  it('issues exactly one licence for 20 simultaneous requests with one purchaseId', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const purchaseId = uid('race');
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => asCreator(c.apiKey, 'createLicense', { email: `buyer${i}@example.com`, productId, purchaseId })),
    );
    for (const r of replies) assert.equal(r.status, 200, r.text);
    const keys = new Set(replies.map((r) => r.body.licenseKey));
    assert.equal(keys.size, 1, `one key for all replies, got ${[...keys].join(', ')}`);
    assert.equal(replies.filter((r) => r.body.created).length, 1);
    const stored = await (await db()).collection('licenses').where('purchaseId', '==', purchaseId).get();
    assert.equal(stored.size, 1);
    const events = await (await db()).collection('events').where('licenseKey', '==', [...keys][0]).get();
    assert.equal(events.docs.filter((d) => d.data().type === 'license.created').length, 1, 'one license.created event');
  });

  it('scopes purchase ids per creator', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const pa = await newProduct(a);
    const pb = await newProduct(b);
    const purchaseId = uid('shared-order');
    const ra = await asCreator(a.apiKey, 'createLicense', { email: 'a@b.co', productId: pa, purchaseId });
    const rb = await asCreator(b.apiKey, 'createLicense', { email: 'a@b.co', productId: pb, purchaseId });
    assert.equal(ra.status, 200, ra.text);
    assert.equal(rb.status, 200, rb.text);
    assert.deepEqual([ra.body.created, rb.body.created], [true, true], 'two licences, one per creator');
    assert.match(ra.body.licenseKey, /^[A-Z0-9]+-/);
    assert.match(rb.body.licenseKey, /^[A-Z0-9]+-/);
    assert.notEqual(ra.body.licenseKey, rb.body.licenseKey);
    assert.equal(ra.body.license.purchaseId, purchaseId);
    assert.equal(rb.body.license.purchaseId, purchaseId);
  });

  it("answers another creator's product or an unknown variant with 404", async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const pb = await newProduct(b);
    const foreign = await asCreator(a.apiKey, 'createLicense', { email: 'a@b.co', productId: pb });
    assert.equal(foreign.status, 404);
    assert.ok(isErrorShape(foreign.body, 'not_found'), foreign.text);
    assert.equal((await asCreator(b.apiKey, 'createLicense', { email: 'a@b.co', productId: pb, variant: 'nope' })).status, 404);
    const superR = await asAdmin('createLicense', { email: 'a@b.co', productId: pb });
    assert.equal(superR.status, 200, 'the super admin sees all');
  });

  it('refuses bad input with 400', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const past = new Date(Date.now() - 86400_000).toISOString();
    for (const body of [
      { productId },
      { email: 'not-an-email', productId },
      { email: 'a@b.co' },
      { email: 'a@b.co', productId, maxMachines: 0 },
      { email: 'a@b.co', productId, licenseType: 'per-seat' },
      { email: 'a@b.co', productId, expiresAt: 'tomorrow' },
      { email: 'a@b.co', productId, expiresAt: past },
      { email: 'a@b.co', productId, expiresAt: '2030-01-01T00:00:00Z', durationDays: 10 },
      { email: 'a@b.co', productId, purchaseId: 'has/slash' },
      { email: 'a@b.co', productId, metadata: 'text' },
      { email: 'a@b.co', productId, unlockedProducts: 'all' },
    ]) {
      const r = await asCreator(c.apiKey, 'createLicense', body);
      assert.equal(r.status, 400, JSON.stringify(body) + r.text);
      assert.ok(isErrorShape(r.body, 'invalid_request'));
    }
  });
});

describe('getLicense', () => {
  it('returns the licence with its activations and violations (GET or POST)', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const created = await asCreator(c.apiKey, 'createLicense', { email: 'a@b.co', productId });
    assert.equal(created.status, 200, created.text);
    const key = created.body.licenseKey;
    const r = await call('getLicense', undefined, { method: 'GET', query: { apiKey: c.apiKey, licenseKey: key } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.license, created.body.license);
    assert.deepEqual(r.body.activations, []);
    assert.deepEqual(r.body.violations, []);
  });

  it('normalises the typed key (case, spaces, missing dashes)', async () => {
    const c = await newCreator();
    const productId = await newProduct(c);
    const created = await asCreator(c.apiKey, 'createLicense', { email: 'a@b.co', productId });
    assert.equal(created.status, 200, created.text);
    const key = created.body.licenseKey as string;
    const typed = ` ${key.replace(/-/g, '').toLowerCase()} `;
    const r = await asCreator(c.apiKey, 'getLicense', { licenseKey: typed });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.license.licenseKey, key);
  });

  it('answers a key with a typo with 400, and an unknown or foreign key with 404', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const pb = await newProduct(b);
    const created = await asCreator(b.apiKey, 'createLicense', { email: 'a@b.co', productId: pb });
    assert.equal(created.status, 200, created.text);
    const key = created.body.licenseKey as string;
    const typo = key.slice(0, -4) + (key.at(-4) === 'A' ? 'B' : 'A') + key.slice(-3);
    const bad = await asCreator(b.apiKey, 'getLicense', { licenseKey: typo });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /licenseKey/);
    assert.equal((await asCreator(b.apiKey, 'getLicense', { licenseKey: generateLicenseKey('ZZZ') })).status, 404);
    const foreign = await asCreator(a.apiKey, 'getLicense', { licenseKey: key });
    assert.equal(foreign.status, 404);
    assert.ok(isErrorShape(foreign.body, 'not_found'));
    assert.equal((await asCreator(a.apiKey, 'getLicense', {})).status, 400);
  });
});
