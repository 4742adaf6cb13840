// API keys: created by the super admin, shown once, stored only as a hash, revocable at once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { db } from '../functions/src/store/firestore.ts';
import { ADMIN_SECRET, asAdmin, asCreator, call, isErrorShape, newCreator, uid } from './helpers.ts';

describe('createApiKey', () => {
  it('creates an sk_live_ key with at least 128 bits, shown once', async () => {
    const creatorId = uid('keys');
    const r = await asAdmin('createApiKey', { creatorId, name: 'CI key' });
    assert.equal(r.status, 200);
    assert.equal(r.body.success, true);
    assert.match(r.body.apiKey, /^sk_live_[A-Za-z0-9_-]{22,}$/);
    // base64url: 6 bits a character.
    assert.ok((r.body.apiKey.length - 'sk_live_'.length) * 6 >= 128);
    assert.equal(r.body.name, 'CI key');
    assert.equal(r.body.creatorId, creatorId);
    assert.match(r.body.id, /^key_/);
    const list = await asAdmin('listApiKeys', { creatorId });
    assert.equal(list.body.apiKeys.length, 1);
    assert.equal(list.body.apiKeys[0].apiKey, undefined);
    assert.doesNotMatch(JSON.stringify(list.body), new RegExp(r.body.apiKey));
  });

  it('stores only a SHA-256 hash of the key', async () => {
    const c = await newCreator();
    const hash = createHash('sha256').update(c.apiKey).digest('hex');
    const doc = await (await db()).collection('apiKeys').doc(hash).get();
    assert.ok(doc.exists);
    assert.doesNotMatch(JSON.stringify(doc.data()), new RegExp(c.apiKey.slice(12)));
    const all = await (await db()).collection('apiKeys').where('creatorId', '==', c.creatorId).get();
    for (const d of all.docs) assert.doesNotMatch(JSON.stringify(d.data()), new RegExp(c.apiKey.slice(12)));
  });

  it('gives each creator a key prefix from its id', async () => {
    const creatorId = uid('acme');
    await asAdmin('createApiKey', { creatorId, name: 'k' });
    const creator = await (await db()).collection('creators').doc(creatorId).get();
    assert.equal(creator.data()?.keyPrefix, creatorId.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 8));
  });

  it('takes the adminSecret from the X-Admin-Secret header', async () => {
    const r = await call('createApiKey', { creatorId: uid('hdr'), name: 'k' }, { headers: { 'x-admin-secret': ADMIN_SECRET } });
    assert.equal(r.status, 200);
  });

  it('refuses a missing or wrong adminSecret, and an apiKey, with 401', async () => {
    const c = await newCreator();
    const body = { creatorId: uid('nope'), name: 'k' };
    for (const r of [
      await call('createApiKey', body),
      await call('createApiKey', { ...body, adminSecret: 'wrong' }),
      await call('createApiKey', { ...body, adminSecret: `${ADMIN_SECRET}x` }),
      await call('createApiKey', { ...body, apiKey: c.apiKey }),
    ]) {
      assert.equal(r.status, 401);
      assert.ok(isErrorShape(r.body, 'unauthorized'));
    }
  });

  it('refuses bad input with 400', async () => {
    for (const body of [{ name: 'k' }, { creatorId: 'Has Spaces', name: 'k' }, { creatorId: 'ok', name: '' }, { creatorId: 7, name: 'k' }]) {
      const r = await asAdmin('createApiKey', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(isErrorShape(r.body, 'invalid_request'));
    }
  });
});

describe('apiKey delivery', () => {
  it('accepts the key in the body, the query, X-API-Key and a Bearer token', async () => {
    const c = await newCreator();
    const ways = [
      await call('listProducts', { apiKey: c.apiKey }),
      await call('listProducts', {}, { query: { apiKey: c.apiKey } }),
      await call('listProducts', undefined, { method: 'GET', query: { apiKey: c.apiKey } }),
      await call('listProducts', {}, { headers: { 'x-api-key': c.apiKey } }),
      await call('listProducts', {}, { headers: { authorization: `Bearer ${c.apiKey}` } }),
    ];
    for (const r of ways) assert.equal(r.status, 200, r.text);
  });

  it('refuses missing and unknown keys with 401', async () => {
    assert.equal((await call('listProducts', {})).status, 401);
    const r = await call('listProducts', { apiKey: 'sk_live_not-a-real-key-at-all-000000000000' });
    assert.equal(r.status, 401);
    assert.ok(isErrorShape(r.body, 'unauthorized'));
  });
});

describe('listApiKeys', () => {
  it('shows a creator only its own keys; the super admin sees any', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    await asAdmin('createApiKey', { creatorId: a.creatorId, name: 'second' });
    const own = await asCreator(a.apiKey, 'listApiKeys');
    assert.equal(own.status, 200);
    assert.deepEqual(own.body.apiKeys.map((k: any) => k.name).sort(), ['second', 'test key']);
    for (const k of own.body.apiKeys) {
      assert.equal(k.creatorId, a.creatorId);
      assert.match(k.prefix, /^sk_live_/);
      assert.equal(typeof k.createdAt, 'string');
      assert.equal(k.revoked, false);
    }
    const other = await asCreator(a.apiKey, 'listApiKeys', { creatorId: b.creatorId });
    assert.equal(other.status, 404);
    const superView = await asAdmin('listApiKeys', { creatorId: b.creatorId });
    assert.deepEqual(superView.body.apiKeys.map((k: any) => k.id), [b.apiKeyId]);
  });

  it('keeps lastUsedAt without writing on every request', async () => {
    const c = await newCreator();
    await asCreator(c.apiKey, 'listProducts');
    const first = (await asCreator(c.apiKey, 'listApiKeys')).body.apiKeys[0].lastUsedAt;
    assert.ok(first, 'lastUsedAt set after use');
    for (let i = 0; i < 3; i++) await asCreator(c.apiKey, 'listProducts');
    const later = (await asCreator(c.apiKey, 'listApiKeys')).body.apiKeys[0].lastUsedAt;
    assert.equal(later, first, 'not rewritten within a minute');
    // An hour-old stamp is refreshed on the next use.
    const hash = createHash('sha256').update(c.apiKey).digest('hex');
    const old = new Date(Date.now() - 3600_000);
    await (await db()).collection('apiKeys').doc(hash).update({ lastUsedAt: old });
    await asCreator(c.apiKey, 'listProducts');
    const refreshed = (await asCreator(c.apiKey, 'listApiKeys')).body.apiKeys[0].lastUsedAt;
    assert.ok(new Date(refreshed).getTime() > old.getTime() + 3000_000);
  });
});

describe('revokeApiKey', () => {
  it('makes the key fail with 401 from the next request', async () => {
    const c = await newCreator();
    assert.equal((await asCreator(c.apiKey, 'listProducts')).status, 200);
    const r = await asAdmin('revokeApiKey', { id: c.apiKeyId });
    assert.equal(r.status, 200);
    assert.equal(r.body.success, true);
    const after = await asCreator(c.apiKey, 'listProducts');
    assert.equal(after.status, 401);
    assert.ok(isErrorShape(after.body, 'unauthorized'));
    const listed = await asAdmin('listApiKeys', { creatorId: c.creatorId });
    assert.equal(listed.body.apiKeys[0].revoked, true);
  });

  it('lets a creator revoke its own key but not another creator\'s (404)', async () => {
    const a = await newCreator('a');
    const b = await newCreator('b');
    const second = await asAdmin('createApiKey', { creatorId: a.creatorId, name: 'spare' });
    assert.equal((await asCreator(a.apiKey, 'revokeApiKey', { id: b.apiKeyId })).status, 404);
    assert.equal((await asCreator(b.apiKey, 'listProducts')).status, 200, 'b still works');
    assert.equal((await asCreator(a.apiKey, 'revokeApiKey', { id: second.body.id })).status, 200);
    assert.equal((await asCreator(second.body.apiKey, 'listProducts')).status, 401);
  });

  it('answers an unknown id with 404 and a missing id with 400', async () => {
    assert.equal((await asAdmin('revokeApiKey', { id: 'key_doesnotexist' })).status, 404);
    assert.equal((await asAdmin('revokeApiKey', {})).status, 400);
    assert.equal((await call('revokeApiKey', { id: 'key_x' })).status, 401);
  });
});
