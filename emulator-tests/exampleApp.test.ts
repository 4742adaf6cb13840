// The example app tells the truth (issue 18): it says which licence and product it uses and
// where its cache is, takes the product from the licence, activates again when given another
// key, checks a given cached key online rather than trusting the cache, refuses a key the server
// does not know, and forgets its activation with --reset. Run as a reader runs it (`npm run
// example`), against the test emulators, with its cache in a private config directory.
import { before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asAdmin, BASE_URL, newCreator, newProduct } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..');
let config: string;

/** The environment without the settings the app reads (the test names each one it means). */
function withoutAppSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  for (const name of ['SEATKEY_BASE_URL', 'BASE', 'SEATKEY_LICENSE_KEY', 'SEATKEY_PRODUCT_ID']) delete env[name];
  return env;
}

/**
 * One run of the example app: its exit status and everything it printed. Asynchronous, so this
 * process's connections to the emulators stay served while the app runs.
 */
function example(...args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'examples', 'client-app.ts'), ...args, '--base-url', BASE_URL],
      { cwd: ROOT, env: withoutAppSettings({ ...process.env, XDG_CONFIG_HOME: config }), encoding: 'utf8', timeout: 240_000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

/** The key as the app prints it: PREFIX-****-****-****-CC. */
const masked = (key: string) => `${key.split('-')[0]}-****-****-****-${key.split('-').at(-1)}`;

before(() => {
  config = mkdtempSync(join(tmpdir(), 'seatkey-example-'));
  // The app imports the built client package, as a creator's app would.
  const build = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'packages/client'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stdout + build.stderr);
});

after(() => rmSync(config, { recursive: true, force: true }));

describe('npm run example', () => {
  it('says which licence and product it uses and where it caches, and switches licences when given another key', async () => {
    const creator = await newCreator('example');
    const productId = await newProduct(creator, { maxMachines: 2 });
    const keyOf = async () => (await asAdmin('createLicense', { email: 'buyer@example.com', productId, creatorId: creator.creatorId })).body.licenseKey as string;
    const [first, second] = [await keyOf(), await keyOf()];
    const cache = join(config, 'seatkey', `${productId}.json`);

    const activated = await example(first);
    assert.equal(activated.status, 0, activated.out);
    assert.match(activated.out, new RegExp(`Product ${productId} on `));
    assert.ok(activated.out.includes(`cached in ${cache}`), activated.out);
    assert.ok(activated.out.includes(`Licensed: ${masked(first)} for ${productId}`), activated.out);
    assert.match(activated.out, /activated with the server just now/);
    assert.ok(existsSync(cache));
    assert.equal((await asAdmin('getLicense', { licenseKey: first })).body.machinesUsed, 1);

    // No key: the cached licence, said so, answered offline first.
    const later = await example();
    assert.equal(later.status, 0, later.out);
    assert.ok(later.out.includes(`Cached licence: ${masked(first)}`), later.out);
    assert.ok(later.out.includes(`Licensed: ${masked(first)}`), later.out);

    // The cached key given again is checked with the server, not trusted from the cache.
    await asAdmin('revokeLicense', { licenseKey: first });
    const revoked = await example(first);
    assert.notEqual(revoked.status, 0, revoked.out);
    assert.match(revoked.out, /This licence has been revoked \(revoked\)/);
    assert.doesNotMatch(revoked.out, /Licensed:/);

    // Another key: the app switches to it and activates it.
    const switched = await example(second);
    assert.equal(switched.status, 0, switched.out);
    assert.ok(switched.out.includes(`Switching to ${masked(second)}`) || switched.out.includes(`Activating ${masked(second)}`), switched.out);
    assert.ok(switched.out.includes(`Licensed: ${masked(second)}`), switched.out);
    assert.equal((await asAdmin('getLicense', { licenseKey: second })).body.machinesUsed, 1);

    // --reset forgets the activation; the next run says this machine is not activated.
    const reset = await example('--reset');
    assert.equal(reset.status, 0, reset.out);
    assert.match(reset.out, /--reset: forgot this machine's activation/);
    const none = await example('--product', productId);
    assert.notEqual(none.status, 0, none.out);
    assert.match(none.out, /not activated/);
  });

  it('refuses a key the server does not know, rather than printing "Licensed"', async () => {
    const creator = await newCreator('example2');
    const productId = await newProduct(creator);
    const key = (await asAdmin('createLicense', { email: 'b@example.com', productId, creatorId: creator.creatorId })).body.licenseKey as string;
    assert.equal((await example(key)).status, 0);
    // A well-formed key of a server that never issued it (another check value on the same body).
    const unknown = `${key.slice(0, -2)}${key.endsWith('ZZ') ? 'YY' : 'ZZ'}`;
    const r = await example(unknown);
    assert.notEqual(r.status, 0, r.out);
    assert.doesNotMatch(r.out, /Licensed:/);
    assert.match(r.out, /does not accept/);
  });
});
