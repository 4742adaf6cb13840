// API key scopes through HTTP: a scoped key may call only the endpoints its scopes cover (403
// insufficient_scope otherwise), tenancy stays a 404, and rotation keeps the scopes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, asCreator, isErrorShape, newCreator, newProduct } from './helpers.ts';

describe('API key scopes', () => {
  it('limits a scoped key to its scopes, and keeps tenancy a 404', async () => {
    const c = await newCreator('scopes');
    const other = await newCreator('scopes');
    const productId = await newProduct(c);
    const mine = (await asCreator(c.apiKey, 'createLicense', { email: 'a@example.com', productId })).body.licenseKey;
    const theirs = (await asCreator(other.apiKey, 'createLicense', { email: 'b@example.com', productId: await newProduct(other) })).body.licenseKey;

    const made = await asAdmin('createApiKey', { creatorId: c.creatorId, name: 'support desk', scopes: 'licenses:read,stats:read' });
    assert.equal(made.status, 200, made.text);
    assert.deepEqual(made.body.scopes, ['licenses:read', 'stats:read']);
    const reader: string = made.body.apiKey;

    assert.equal((await asCreator(reader, 'getLicense', { licenseKey: mine })).status, 200);
    assert.equal((await asCreator(reader, 'listLicenses', {})).status, 200);
    assert.equal((await asCreator(reader, 'getStats', { from: '2026-01-01', to: '2026-01-31' })).status, 200);
    for (const [name, body] of [
      ['createLicense', { email: 'x@example.com', productId }],
      ['revokeLicense', { licenseKey: mine }],
      ['createProduct', { name: 'X', slug: 'x-scoped' }],
      ['createWebhook', { url: 'https://example.com/hook' }],
      ['listApiKeys', {}],
      ['revokeApiKey', { id: made.body.id }],
    ] as const) {
      const r = await asCreator(reader, name, body);
      assert.equal(r.status, 403, `${name}: ${r.text}`);
      assert.ok(isErrorShape(r.body, 'insufficient_scope'), r.text);
    }
    // Credentials and scope come before the schema: a body that is wrong is still 403, not 400.
    assert.equal((await asCreator(reader, 'createLicense', { nonsense: true })).status, 403);
    // Within its scopes, another creator's licence is still simply not found.
    assert.equal((await asCreator(reader, 'getLicense', { licenseKey: theirs })).status, 404);
    // The licence was not revoked by the refused call.
    assert.equal((await asCreator(c.apiKey, 'getLicense', { licenseKey: mine })).body.license.status, 'active');

    const listed = await asCreator(c.apiKey, 'listApiKeys', {});
    const row = listed.body.apiKeys.find((k: any) => k.id === made.body.id);
    assert.deepEqual(row.scopes, ['licenses:read', 'stats:read']);
    assert.equal(listed.body.apiKeys.find((k: any) => k.id === c.apiKeyId).scopes, null, 'a key made without scopes has them all');

    const rotated = await asAdmin('rotateApiKey', { id: made.body.id });
    assert.equal(rotated.status, 200, rotated.text);
    assert.deepEqual(rotated.body.scopes, ['licenses:read', 'stats:read']);
    assert.equal((await asCreator(rotated.body.apiKey, 'createLicense', { email: 'x@example.com', productId })).status, 403);
  });

  it('refuses an unknown scope with 400', async () => {
    const c = await newCreator('scopes');
    for (const scopes of ['licenses:everything', [], ['licenses:read', 'nope']]) {
      const r = await asAdmin('createApiKey', { creatorId: c.creatorId, name: 'bad', scopes });
      assert.equal(r.status, 400, JSON.stringify(scopes));
      assert.ok(isErrorShape(r.body, 'invalid_request'));
    }
  });
});
