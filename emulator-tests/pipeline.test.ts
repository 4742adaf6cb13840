// The shared request pipeline, exercised through real endpoints: methods, sizes, JSON, schema
// messages, and the contract's error shape with no stack traces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_SECRET, WEBHOOK_SECRET, asAdmin, call, isErrorShape, newCreator } from './helpers.ts';

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

  it('checks credentials before the schema: without them an admin or webhook call is 401 whatever its body', async () => {
    const bad = { name: 123, slug: 'Not A Slug', maxMachines: 'three' };
    for (const [name, body, opts] of [
      ['createProduct', bad, {}],
      ['createProduct', { ...bad, apiKey: 'sk_live_not-a-key' }, {}],
      ['createProduct', { ...bad, adminSecret: `${ADMIN_SECRET}x` }, {}],
      ['createLicense', {}, {}],
      ['createApiKey', { creatorId: 'Bad Id!' }, {}],
      ['paymentWebhook', { type: 42 }, {}],
      ['paymentWebhook', { type: 'purchase.completed', amount: -1 }, { headers: { 'x-webhook-secret': 'wrong' } }],
    ] as const) {
      const r = await call(name, body, opts);
      assert.equal(r.status, 401, `${name} ${JSON.stringify(body)}: ${r.text}`);
      assert.ok(isErrorShape(r.body, 'unauthorized'), r.text);
      assert.doesNotMatch(r.text, /maxMachines|slug|creatorId|amount|type/, 'the schema is not revealed');
    }
    // With valid credentials the same bodies are 400, naming the field.
    const c = await newCreator();
    const r = await call('createProduct', { ...bad, apiKey: c.apiKey });
    assert.equal(r.status, 400, r.text);
    assert.match(r.body.error, /name|slug|maxMachines/);
    const w = await call('paymentWebhook', { type: 'purchase.completed', amount: -1 }, { headers: { 'x-webhook-secret': WEBHOOK_SECRET } });
    assert.equal(w.status, 400, w.text);
    // A creator's key on a super-admin-only endpoint is 401 before its body is looked at.
    assert.equal((await call('createApiKey', { apiKey: c.apiKey, creatorId: 'Bad Id!' })).status, 401);
  });

  it('answers method, size and JSON before credentials', async () => {
    assert.equal((await call('createProduct', {}, { method: 'PUT' })).status, 405);
    assert.equal((await call('createProduct', { padding: 'a'.repeat(70 * 1024) })).status, 413);
    const json = await call('createProduct', undefined, { raw: '{"name": ', contentType: 'text/plain' });
    assert.equal(json.status, 400);
    assert.match(json.body.error, /JSON/);
  });

  it('never accepts adminSecret from the query string, even the right one', async () => {
    const get = await call('listProducts', undefined, { method: 'GET', query: { adminSecret: ADMIN_SECRET } });
    assert.equal(get.status, 401, get.text);
    assert.ok(isErrorShape(get.body, 'unauthorized'));
    assert.match(get.body.error, /query string/);
    const post = await call('listProducts', { adminSecret: ADMIN_SECRET }, { query: { adminSecret: ADMIN_SECRET } });
    assert.equal(post.status, 401, 'a URL carrying it is refused even when the body has it too');
    const header = await call('listProducts', undefined, { method: 'GET', headers: { 'x-admin-secret': ADMIN_SECRET } });
    assert.equal(header.status, 200, header.text);
    const c = await newCreator();
    assert.equal((await call('listProducts', undefined, { method: 'GET', query: { apiKey: c.apiKey } })).status, 200, 'an API key may come in the query');
  });
});
