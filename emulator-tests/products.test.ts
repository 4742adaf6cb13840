// Products and variants: slugs as ids, 409 on a taken slug, status filters, per-creator scope.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, uid } from './helpers.ts';

describe('createProduct', () => {
  it('creates a product whose id is its slug, with licence defaults', async () => {
    const c = await newCreator();
    const slug = uid('my-app');
    const r = await asCreator(c.apiKey, 'createProduct', { name: 'My App', slug, licenseType: 'floating', maxConcurrent: 5, durationDays: 365 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.success, true);
    assert.equal(r.body.productId, slug);
    assert.equal(r.body.status, 'live');
    const p = r.body.product;
    assert.equal(p.slug, slug);
    assert.equal(p.creatorId, c.creatorId);
    assert.equal(p.active, true);
    assert.equal(p.licenseType, 'floating');
    assert.equal(p.maxConcurrent, 5);
    assert.equal(p.maxMachines, 1);
    assert.equal(p.heartbeatIntervalSeconds, 300);
    assert.equal(p.tokenTtlDays, 30);
    assert.equal(p.durationDays, 365);
  });

  it('needs creatorId with adminSecret, and uses it', async () => {
    const slug = uid('super');
    assert.equal((await asAdmin('createProduct', { name: 'x', slug })).status, 400);
    const creatorId = uid('fresh-creator');
    const r = await asAdmin('createProduct', { name: 'x', slug, creatorId, status: 'unlisted' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'unlisted');
    assert.equal(r.body.product.creatorId, creatorId);
  });

  it('refuses a creator naming another creator (404)', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const r = await asCreator(a.apiKey, 'createProduct', { name: 'x', slug: uid('steal'), creatorId: b.creatorId });
    assert.equal(r.status, 404);
  });

  it('answers a taken slug with 409, whoever took it', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const slug = await newProduct(a);
    for (const key of [a.apiKey, b.apiKey]) {
      const r = await asCreator(key, 'createProduct', { name: 'Again', slug });
      assert.equal(r.status, 409);
      assert.ok(isErrorShape(r.body, 'conflict'));
    }
  });

  it('gives a slug to exactly one of many simultaneous creators', async () => {
    const c = await newCreator();
    const slug = uid('race');
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => asCreator(c.apiKey, 'createProduct', { name: `Racer ${i}`, slug })));
    const statuses = replies.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(','));
    assert.ok(statuses.every((s) => s === 200 || s === 409 || s === 503), statuses.join(','));
  });

  it('refuses bad input with 400', async () => {
    const c = await newCreator();
    const bad = [
      { name: 'x', slug: 'Has Caps And Spaces' },
      { name: 'x', slug: '-leading-dash' },
      { name: 'x', slug: uid('s'), status: 'deleted' },
      { name: 'x', slug: uid('s'), licenseType: 'per-user' },
      { name: 'x', slug: uid('s'), maxMachines: 0 },
      { name: 'x', slug: uid('s'), maxMachines: 2.5 },
      { name: 'x', slug: uid('s'), tokenTtlDays: 0 },
      { name: 'x', slug: uid('s'), durationDays: 30, duration: { value: 1, unit: 'months' } },
      { name: ['x'], slug: uid('s') },
    ];
    for (const body of bad) {
      const r = await asCreator(c.apiKey, 'createProduct', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(isErrorShape(r.body, 'invalid_request'));
    }
  });

  it('accepts maxMachines -1 (unlimited) and calendar durations', async () => {
    const c = await newCreator();
    const r = await asCreator(c.apiKey, 'createProduct', { name: 'x', slug: uid('unl'), maxMachines: -1, duration: { value: 1, unit: 'months' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.product.maxMachines, -1);
    assert.deepEqual(r.body.product.duration, { value: 1, unit: 'months' });
    assert.equal(r.body.product.durationDays, null);
  });
});

describe('listProducts', () => {
  it('lists live products by default and filters by status', async () => {
    const c = await newCreator();
    const live = await newProduct(c);
    const unlisted = await newProduct(c, { status: 'unlisted' });
    const archived = await newProduct(c, { status: 'archived' });
    const ids = async (body: Record<string, unknown>) =>
      (await asCreator(c.apiKey, 'listProducts', body)).body.products.map((p: any) => p.productId).sort();
    assert.deepEqual(await ids({}), [live]);
    assert.deepEqual(await ids({ status: 'unlisted,archived' }), [archived, unlisted].sort());
    assert.deepEqual(await ids({ includeAll: true }), [live, unlisted, archived].sort());
    const viaGet = await call('listProducts', undefined, { method: 'GET', query: { apiKey: c.apiKey, status: 'archived' } });
    assert.deepEqual(viaGet.body.products.map((p: any) => p.productId), [archived]);
    assert.equal(viaGet.body.products[0].active, false);
    const all = await call('listProducts', undefined, { method: 'GET', query: { apiKey: c.apiKey, includeAll: 'true' } });
    assert.equal(all.body.products.length, 3);
  });

  it('shows a creator only its own products; the super admin can filter by creator', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const pa = await newProduct(a);
    const pb = await newProduct(b);
    const seen = (await asCreator(a.apiKey, 'listProducts')).body.products.map((p: any) => p.productId);
    assert.deepEqual(seen, [pa]);
    assert.equal((await asCreator(a.apiKey, 'listProducts', { creatorId: b.creatorId })).status, 404);
    const superView = (await asAdmin('listProducts', { creatorId: b.creatorId })).body.products.map((p: any) => p.productId);
    assert.deepEqual(superView, [pb]);
  });

  it('refuses an unknown status with 400', async () => {
    const c = await newCreator();
    assert.equal((await asCreator(c.apiKey, 'listProducts', { status: 'live,gone' })).status, 400);
  });
});

describe('updateProduct', () => {
  it('updates fields and returns the product', async () => {
    const c = await newCreator();
    const id = await newProduct(c);
    const r = await asCreator(c.apiKey, 'updateProduct', { productId: id, name: 'Renamed', status: 'archived', maxMachines: 5, durationDays: null });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.product.name, 'Renamed');
    assert.equal(r.body.product.status, 'archived');
    assert.equal(r.body.product.active, false);
    assert.equal(r.body.product.maxMachines, 5);
    assert.equal(r.body.product.durationDays, null);
    assert.ok(new Date(r.body.product.updatedAt) >= new Date(r.body.product.createdAt));
  });

  it("answers another creator's or an unknown product with 404", async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const id = await newProduct(b);
    const r = await asCreator(a.apiKey, 'updateProduct', { productId: id, name: 'Mine now' });
    assert.equal(r.status, 404);
    assert.ok(isErrorShape(r.body, 'not_found'));
    assert.equal((await asCreator(a.apiKey, 'updateProduct', { productId: uid('nothing'), name: 'x' })).status, 404);
    const still = (await asAdmin('listProducts', { creatorId: b.creatorId })).body.products[0];
    assert.equal(still.name, `Product ${id}`);
  });

  it('refuses an update with nothing to change, or bad values, with 400', async () => {
    const c = await newCreator();
    const id = await newProduct(c);
    assert.equal((await asCreator(c.apiKey, 'updateProduct', { productId: id })).status, 400);
    assert.equal((await asCreator(c.apiKey, 'updateProduct', { productId: id, status: 'gone' })).status, 400);
    assert.equal((await asCreator(c.apiKey, 'updateProduct', { name: 'x' })).status, 400);
  });
});

describe('variants', () => {
  it('creates, lists and updates variants', async () => {
    const c = await newCreator();
    const id = await newProduct(c);
    const pro = await asCreator(c.apiKey, 'createVariant', { productId: id, name: 'Pro (3 seats)', maxMachines: 3, durationDays: 365 });
    assert.equal(pro.status, 200, pro.text);
    assert.equal(pro.body.variantId, 'pro-3-seats');
    const team = await asCreator(c.apiKey, 'createVariant', { productId: id, name: 'Team', variantId: 'team', licenseType: 'floating', maxConcurrent: 10 });
    assert.equal(team.body.variantId, 'team');
    const list = await call('listVariants', undefined, { method: 'GET', query: { apiKey: c.apiKey, productId: id } });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.variants.map((v: any) => v.variantId), ['pro-3-seats', 'team']);
    const v = list.body.variants[0];
    assert.equal(v.productId, id);
    assert.equal(v.maxMachines, 3);
    assert.equal(v.durationDays, 365);
    assert.equal(v.active, true);
    assert.equal(v.licenseType, null);
    const upd = await asCreator(c.apiKey, 'updateVariant', { productId: id, variantId: 'team', active: false, maxConcurrent: 20 });
    assert.equal(upd.status, 200, upd.text);
    assert.equal(upd.body.variant.active, false);
    assert.equal(upd.body.variant.maxConcurrent, 20);
    assert.equal(upd.body.variant.name, 'Team');
  });

  it('answers a duplicate variant with 409', async () => {
    const c = await newCreator();
    const id = await newProduct(c);
    assert.equal((await asCreator(c.apiKey, 'createVariant', { productId: id, name: 'Basic' })).status, 200);
    const again = await asCreator(c.apiKey, 'createVariant', { productId: id, name: 'basic' });
    assert.equal(again.status, 409);
    assert.ok(isErrorShape(again.body, 'conflict'));
  });

  it("answers another creator's product or variant with 404", async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const id = await newProduct(b);
    await asCreator(b.apiKey, 'createVariant', { productId: id, name: 'Basic' });
    assert.equal((await asCreator(a.apiKey, 'createVariant', { productId: id, name: 'Evil' })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'listVariants', { productId: id })).status, 404);
    assert.equal((await asCreator(a.apiKey, 'updateVariant', { productId: id, variantId: 'basic', active: false })).status, 404);
    assert.equal((await asCreator(b.apiKey, 'updateVariant', { productId: id, variantId: 'missing', active: false })).status, 404);
    const stillActive = (await asCreator(b.apiKey, 'listVariants', { productId: id })).body.variants[0].active;
    assert.equal(stillActive, true);
  });

  it('refuses bad input with 400', async () => {
    const c = await newCreator();
    const id = await newProduct(c);
    for (const body of [
      { productId: id },
      { productId: id, name: '!!!' },
      { productId: id, name: 'x', maxMachines: 'many' },
      { productId: id, name: 'x', licenseType: 'node-locked' },
      { name: 'x' },
    ]) {
      const r = await asCreator(c.apiKey, 'createVariant', body);
      assert.equal(r.status, 400, JSON.stringify(body));
    }
    assert.equal((await asCreator(c.apiKey, 'updateVariant', { productId: id, variantId: 'x' })).status, 400);
    assert.equal((await asCreator(c.apiKey, 'listVariants', {})).status, 400);
  });
});
