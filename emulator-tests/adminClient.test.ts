// @seatkey/admin against the emulators: the typed client generated from the OpenAPI document makes
// a product and a licence, reads it back, and reports errors in the contract's shape. Every reply
// it gets is also checked against the document (documented.ts), as `call` does for the other tests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { createAdminClient } from '@seatkey/admin';
import { assertDocumented } from './documented.ts';
import { asCreator, BASE_URL, newCreator, uid } from './helpers.ts';
import { newOwner } from './accountHelpers.ts';

const ROOT = join(import.meta.dirname, '..');

/** examples/admin-script.ts as a reader runs it; asynchronous, so the emulators stay served. */
function adminScript(env: Record<string, string>, ...args: string[]): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'examples', 'admin-script.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 240_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

const checked = (apiKey: string) => {
  const client = createAdminClient({ baseUrl: BASE_URL, apiKey, headers: { 'x-forwarded-for': '10.9.8.7' } });
  client.use({
    async onResponse({ request, response, schemaPath }) {
      const body: unknown = await response.clone().json().catch(() => undefined);
      assertDocumented(schemaPath.slice(1), request.method, response.status, body);
    },
  });
  return client;
};

describe('@seatkey/admin', () => {
  it('creates a product and a licence, and reads the licence back', async () => {
    const creator = await newCreator('admin-client');
    const seatkey = checked(creator.apiKey);
    const slug = uid('app');

    const product = await seatkey.POST('/createProduct', { body: { name: 'Photo App', slug, maxMachines: 3 } });
    assert.equal(product.response.status, 200, JSON.stringify(product.error));
    assert.equal(product.data?.product.slug, slug);
    assert.equal(product.data?.product.maxMachines, 3);

    const made = await seatkey.POST('/createLicense', { body: { productId: slug, email: 'Buyer@Example.com', purchaseId: uid('order') } });
    assert.equal(made.response.status, 200, JSON.stringify(made.error));
    const licenseKey = made.data!.licenseKey;
    assert.equal(made.data?.license.email, 'buyer@example.com');
    assert.equal(made.data?.license.maxMachines, 3);

    const read = await seatkey.GET('/getLicense', { params: { query: { licenseKey } } });
    assert.equal(read.response.status, 200, JSON.stringify(read.error));
    assert.equal(read.data?.license.licenseKey, licenseKey);
    assert.deepEqual(read.data?.activations, []);

    const listed = await seatkey.POST('/listLicenses', { body: { productId: slug } });
    assert.deepEqual(listed.data?.licenses.map((l) => l.licenseKey), [licenseKey]);
  });

  it('gives the contract\'s errors: a bad field, a wrong key, another creator\'s licence', async () => {
    const [mine, theirs] = await Promise.all([newCreator('admin-client'), newCreator('admin-client')]);
    const slug = uid('app');
    await checked(theirs.apiKey).POST('/createProduct', { body: { name: 'Theirs', slug } });
    const made = await checked(theirs.apiKey).POST('/createLicense', { body: { productId: slug, email: 'b@example.com' } });
    assert.equal(made.response.status, 200);

    const bad = await checked(mine.apiKey).POST('/createProduct', { body: { name: 'Bad', slug: 'Not A Slug!' } });
    assert.equal(bad.response.status, 400);
    assert.equal(bad.error?.code, 'invalid_request');
    assert.match(bad.error?.error ?? '', /slug/);

    const wrongKey = await checked('sk_live_not-a-real-key-at-all-000000000000000000').POST('/listProducts', { body: {} });
    assert.equal(wrongKey.response.status, 401);
    assert.equal(wrongKey.error?.code, 'unauthorized');

    const foreign = await checked(mine.apiKey).GET('/getLicense', { params: { query: { licenseKey: made.data!.licenseKey } } });
    assert.equal(foreign.response.status, 404);
    assert.equal(foreign.error?.code, 'not_found');
  });

  it('sends a person\'s ID token, and after a 401 asks for a fresh one and retries the call once', async () => {
    const owner = await newOwner('admin-client');
    const asked: boolean[] = [];
    // A token that has gone stale (here: not a token at all) until the client asks for a fresh one.
    const idToken = async (forceRefresh = false) => (asked.push(forceRefresh), forceRefresh ? owner.idToken : 'stale-token');
    const client = createAdminClient({ baseUrl: BASE_URL, idToken, headers: { 'x-forwarded-for': '10.9.8.6' } });
    const slug = uid('app');
    const made = await client.POST('/createProduct', { body: { name: 'Retried', slug } });
    assert.equal(made.response.status, 200, JSON.stringify(made.error));
    assert.equal(made.data?.product.slug, slug, 'the body went out again on the retry');
    assert.deepEqual(asked, [false, true]);

    // A fresh token that is refused too: the 401 is the answer, after one retry only.
    const never = async (forceRefresh = false) => (asked.push(forceRefresh), 'still-not-a-token');
    const refused = await createAdminClient({ baseUrl: BASE_URL, idToken: never }).POST('/listProducts', { body: {} });
    assert.equal(refused.response.status, 401);
    assert.equal(refused.error?.code, 'unauthorized');
    assert.deepEqual(asked, [false, true, false, true]);

    // A token that works the first time is asked for once.
    asked.length = 0;
    const fine = await createAdminClient({ baseUrl: BASE_URL, idToken: async (f = false) => (asked.push(f), owner.idToken) }).POST('/listProducts', { body: {} });
    assert.equal(fine.response.status, 200, JSON.stringify(fine.error));
    assert.deepEqual(asked, [false]);
  });

  it('runs the example script: a product and a licence, twice over (the product already made)', async () => {
    const creator = await newCreator('admin-example');
    const env = { SEATKEY_BASE_URL: BASE_URL, SEATKEY_API_KEY: creator.apiKey, SEATKEY_PRODUCT_ID: uid('app') };
    const runs = [await adminScript(env, 'ada@example.com'), await adminScript(env, 'bob@example.com')];
    const keys = runs.map((r) => {
      assert.equal(r.status, 0, r.out);
      return /: (\S+) \(3 machines\)/.exec(r.out)?.[1];
    });
    assert.ok(keys[0] && keys[1] && keys[0] !== keys[1], runs.map((r) => r.out).join('\n'));
    const listed = await asCreator(creator.apiKey, 'listLicenses', { productId: env.SEATKEY_PRODUCT_ID });
    assert.deepEqual(listed.body.licenses.map((l: { email: string }) => l.email).sort(), ['ada@example.com', 'bob@example.com']);
    assert.equal((await adminScript({ ...env, SEATKEY_API_KEY: 'sk_live_wrong' }, 'eve@example.com')).status, 1);
  });
});
