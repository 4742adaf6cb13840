// firestore.rules, loaded into the emulator by the harness: every client read and write is
// denied. The owner credential (the Admin SDK's) is the control that shows the calls can succeed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FIRESTORE_HOST, PROJECT, newCreator, newProduct } from './helpers.ts';

const docs = `http://${FIRESTORE_HOST}/v1/projects/${PROJECT}/databases/(default)/documents`;
const asOwner = { authorization: 'Bearer owner' };

async function rest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${docs}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

describe('firestore.rules', () => {
  it('denies client reads of every collection', async () => {
    const c = await newCreator();
    const product = await newProduct(c);
    for (const path of [`/products/${product}`, `/creators/${c.creatorId}`, '/products', '/apiKeys', '/licenses', '/rateLimits']) {
      const r = await rest('GET', path);
      assert.equal(r.status, 403, `${path}: ${r.text}`);
      assert.match(r.text, /PERMISSION_DENIED/);
    }
    const owner = await rest('GET', `/products/${product}`, undefined, asOwner);
    assert.equal(owner.status, 200, 'the same read as the Admin SDK succeeds');
  });

  it('denies client queries', async () => {
    const r = await fetch(`${docs}:runQuery`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ structuredQuery: { from: [{ collectionId: 'apiKeys' }] } }),
    });
    assert.equal(r.status, 403);
  });

  it('denies client writes, creates and deletes', async () => {
    const c = await newCreator();
    const product = await newProduct(c);
    const fields = { fields: { name: { stringValue: 'hijacked' } } };
    const created = await rest('POST', '/products?documentId=evil-product', fields);
    assert.equal(created.status, 403, created.text);
    const patched = await rest('PATCH', `/products/${product}?updateMask.fieldPaths=name`, fields);
    assert.equal(patched.status, 403, patched.text);
    const deleted = await rest('DELETE', `/products/${product}`);
    assert.equal(deleted.status, 403, deleted.text);
    const after = await rest('GET', `/products/${product}`, undefined, asOwner);
    assert.match(after.text, new RegExp(`Product ${product}`), 'nothing was changed');
    assert.equal((await rest('GET', '/products/evil-product', undefined, asOwner)).status, 404, 'nothing was created');
  });
});
