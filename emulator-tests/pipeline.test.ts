// The shared request pipeline, exercised through real endpoints: methods, sizes, JSON, schema
// messages, and the contract's error shape with no stack traces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_SECRET, asAdmin, call, isErrorShape, newCreator } from './helpers.ts';

describe('pipeline', () => {
  it('health answers GET and POST with {ok, version} and no Firestore', async () => {
    const r = await call('health', undefined, { method: 'GET' });
    assert.equal(r.status, 200);
    assert.equal(r.body.ok, true);
    assert.match(r.body.version, /^\d+\.\d+\.\d+/);
    assert.equal((await call('health', {})).status, 200);
  });

  it('refuses other methods with 405 and an Allow header', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const r = await call('createProduct', {}, { method });
      assert.equal(r.status, 405, method);
      assert.ok(isErrorShape(r.body, 'method_not_allowed'));
      assert.equal(r.headers.get('allow'), 'POST');
    }
    // GET is only for health, publicKey and read-only admin calls.
    const get = await call('createApiKey', undefined, { method: 'GET' });
    assert.equal(get.status, 405);
    assert.equal((await call('listProducts', undefined, { method: 'PUT' })).headers.get('allow'), 'GET, POST');
  });

  it('refuses a 70 KB body with 413', async () => {
    const r = await asAdmin('createProduct', { name: 'x', slug: 'big-body', padding: 'a'.repeat(70 * 1024) });
    assert.equal(r.status, 413);
    assert.ok(isErrorShape(r.body, 'payload_too_large'));
  });

  it('accepts a body just under 64 KiB', async () => {
    const r = await asAdmin('listProducts', { padding: 'a'.repeat(60 * 1024) });
    assert.equal(r.status, 200);
  });

  it('answers malformed JSON sent as text with 400 in the contract shape', async () => {
    const r = await call('createProduct', undefined, { raw: '{"name": "x",', contentType: 'text/plain' });
    assert.equal(r.status, 400);
    assert.ok(isErrorShape(r.body, 'invalid_request'));
    assert.match(r.body.error, /JSON/);
  });

  it('reads a JSON body sent as text/plain', async () => {
    const r = await call('listProducts', undefined, { raw: JSON.stringify({ adminSecret: ADMIN_SECRET }), contentType: 'text/plain' });
    assert.equal(r.status, 200);
  });

  it('refuses arrays and scalars as the body', async () => {
    for (const raw of ['[1,2,3]', '"text"', '42', 'null']) {
      const r = await call('listProducts', undefined, { raw, contentType: 'text/plain' });
      assert.equal(r.status, 400, raw);
      assert.ok(isErrorShape(r.body, 'invalid_request'), raw);
    }
    const arr = await call('listProducts', [{ adminSecret: ADMIN_SECRET }]);
    assert.equal(arr.status, 400);
  });

  it('names the offending field when types are wrong or fields are missing', async () => {
    const c = await newCreator();
    const missing = await call('createProduct', { apiKey: c.apiKey, slug: 'no-name-given' });
    assert.equal(missing.status, 400);
    assert.ok(isErrorShape(missing.body, 'invalid_request'));
    assert.match(missing.body.error, /\bname\b/);
    const wrong = await call('createProduct', { apiKey: c.apiKey, name: 'x', slug: 'wrong-types', maxMachines: 'three' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.error, /maxMachines/);
    const nested = await call('createProduct', { apiKey: c.apiKey, name: 'x', slug: 'nested', duration: { value: 3, unit: 'weeks' } });
    assert.equal(nested.status, 400);
    assert.match(nested.body.error, /duration\.unit/);
  });

  it('ignores unknown extra fields', async () => {
    const r = await asAdmin('listProducts', { somethingElse: [1, 2, 3], nested: { a: 1 } });
    assert.equal(r.status, 200);
    assert.ok(Array.isArray(r.body.products));
  });

  it('never returns a stack trace or an HTML page', async () => {
    const probes = [
      await call('createProduct', undefined, { raw: '{', contentType: 'text/plain' }),
      await call('createProduct', { name: 123 }),
      await call('revokeApiKey', { adminSecret: 'wrong' }),
      await call('updateProduct', undefined, { method: 'DELETE' }),
    ];
    for (const r of probes) {
      assert.ok(r.body, `JSON body expected, got: ${r.text.slice(0, 80)}`);
      assert.doesNotMatch(r.text, /at .+\.(js|ts):\d+|Error:|<html/i);
      assert.doesNotMatch(r.text, new RegExp(ADMIN_SECRET));
    }
  });
});
