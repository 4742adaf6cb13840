// The `seatkey` CLI, spawned as a user would run it, against the fake Seatkey.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRODUCT, startFake, tempDir } from './helpers.ts';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any;
}

/** Runs the CLI from sources (through tsx, as the tests do) and collects its output. */
function seatkey(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, SEATKEY_BASE_URL: '', SEATKEY_PRODUCT_ID: '', SEATKEY_LICENSE_KEY: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

async function setup() {
  const fake = await startFake();
  const license = fake.addLicense({ productId: PRODUCT, maxMachines: 1 });
  const storage = join(tempDir(), 'state.json');
  const common = ['--base-url', fake.baseUrl, '--product', PRODUCT, '--storage', storage, '--fingerprint', 'cli-machine'];
  return { fake, license, storage, common };
}

describe('seatkey CLI', () => {
  it('activates, validates, shows status and deactivates, with --json', async () => {
    const { fake, license, common } = await setup();
    const activated = await seatkey(['activate', '--key', license.key, '--json', ...common]);
    assert.equal(activated.code, 0, activated.stderr);
    assert.equal(activated.json.success, true);
    assert.equal(activated.json.license.productId, PRODUCT);
    assert.equal(activated.json.license.licenseKey, license.key.replace(/-(\w+)-(\w+)-(\w+)-/, (_m, a: string, b: string, c: string) => `-${'*'.repeat(a.length)}-${'*'.repeat(b.length)}-${'*'.repeat(c.length)}-`));
    assert.ok(!activated.stdout.includes(license.key), 'the key is masked');
    assert.equal(license.activations.get('cli-machine') !== undefined, true);

    const validated = await seatkey(['validate', '--json', ...common]);
    assert.equal(validated.code, 0, validated.stderr);
    assert.equal(validated.json.valid, true);
    assert.equal(validated.json.source, 'cached', 'a second run reads the saved activation');
    assert.equal(fake.calls.validate, undefined);

    const online = await seatkey(['validate', '--online', '--json', ...common]);
    assert.equal(online.json.source, 'online');
    assert.equal(fake.calls.validate, 1);

    const status = await seatkey(['status', '--json', ...common]);
    assert.equal(status.code, 0);
    assert.equal(status.json.activated, true);
    assert.equal(status.json.license.licenseType, 'per-machine');
    assert.ok(!status.stdout.includes('"token"'), 'no token in the output');

    const deactivated = await seatkey(['deactivate', '--json', ...common]);
    assert.equal(deactivated.code, 0, deactivated.stderr);
    assert.deepEqual(deactivated.json, { success: true, machinesUsed: 0, maxMachines: 1 });

    const after = await seatkey(['status', '--json', ...common]);
    assert.equal(after.code, 1);
    assert.deepEqual(after.json, { activated: false });
  });

  it('exits 1 with the typed error on a refusal', async () => {
    const { fake, license, common } = await setup();
    license.activations.set('another-machine', 'act_1');
    const full = await seatkey(['activate', '--key', license.key, '--json', ...common]);
    assert.equal(full.code, 1);
    assert.deepEqual(full.json, {
      success: false,
      error: { code: 'machine_limit', message: 'Machine limit reached (1). Deactivate another machine first.', status: 403, retryable: false },
    });

    license.activations.clear();
    assert.equal((await seatkey(['activate', '--key', license.key, ...common])).code, 0);
    license.status = 'revoked';
    const revoked = await seatkey(['validate', '--online', '--json', ...common]);
    assert.equal(revoked.code, 1);
    assert.equal(revoked.json.valid, false);
    assert.equal(revoked.json.error.code, 'revoked');
    assert.equal(fake.calls.validate, 1);
  });

  it('prints readable text by default, and takes its settings from the environment', async () => {
    const { fake, license, storage } = await setup();
    const env = { SEATKEY_BASE_URL: fake.baseUrl, SEATKEY_PRODUCT_ID: PRODUCT, SEATKEY_LICENSE_KEY: license.key };
    const r = await seatkey(['activate', '--storage', storage, '--fingerprint', 'env-machine'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Activated\n/);
    assert.match(r.stdout, /Type +per-machine/);
    assert.ok(!r.stdout.includes(license.key));
    const v = await seatkey(['validate', '--storage', storage, '--fingerprint', 'env-machine'], env);
    assert.match(v.stdout, /^Licensed \(cached token verified offline\)/);
  });

  it('reports an unreachable server as a failure, not a crash', async () => {
    const { fake, license, common } = await setup();
    fake.offline = true;
    const r = await seatkey(['activate', '--key', license.key, '--json', ...common]);
    assert.equal(r.code, 1);
    assert.equal(r.json.error.code, 'network');
    assert.equal(r.json.error.retryable, true);
    assert.equal(r.stderr, '');
  });

  it('keys writes the JWKS to bundle, and --keys checks the licence offline with it', async () => {
    const { fake, license, common } = await setup();
    const file = join(tempDir(), 'app', 'seatkey-keys.json');
    const wrote = await seatkey(['keys', '--base-url', fake.baseUrl, '--out', file]);
    assert.equal(wrote.code, 0, wrote.stderr);
    assert.match(wrote.stdout, new RegExp(`^Wrote 1 public key \\(${fake.currentKid}\\) to `));
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), fake.jwks);
    const printed = await seatkey(['keys', '--base-url', fake.baseUrl]);
    assert.equal(printed.code, 0);
    assert.deepEqual(printed.json, fake.jwks, 'without --out, the JWKS is the output');

    assert.equal((await seatkey(['activate', '--key', license.key, '--keys', file, ...common])).code, 0);
    assert.equal(fake.calls.publicKey, 2, 'only the two keys commands fetched keys');
    fake.offline = true;
    const bundled = await seatkey(['validate', '--keys', file, '--json', ...common]);
    assert.equal(bundled.code, 0, bundled.stdout);
    assert.equal(bundled.json.source, 'cached');
    const unbundled = await seatkey(['validate', '--json', ...common]);
    assert.equal(unbundled.code, 1, 'no bundled keys and no server: nothing to check the token with');
    assert.equal(unbundled.json.error.code, 'network');

    const down = await seatkey(['keys', '--base-url', fake.baseUrl, '--out', file, '--json']);
    assert.equal(down.code, 1);
    assert.equal(down.json.error.code, 'network');
    assert.equal((await seatkey(['validate', '--keys', join(tempDir(), 'missing.json'), ...common])).code, 2);
  });

  it('keys writes only the public members of Ed25519 signing keys, and refuses a JWKS without one', async () => {
    const { fake } = await setup();
    const [key] = fake.jwks.keys;
    fake.extraJwks = [
      { kty: 'RSA', kid: 'rsa-1', n: 'AQAB', e: 'AQAB' },
      { ...key, kid: 'enc-1', use: 'enc' },
      { ...key, kid: 'leaky', d: 'the-private-half', extra: 'x' },
    ];
    const r = await seatkey(['keys', '--base-url', fake.baseUrl]);
    assert.deepEqual(
      r.json.keys.map((k: any) => k.kid),
      [fake.currentKid, 'leaky'],
    );
    assert.deepEqual(Object.keys(r.json.keys[1]).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    assert.ok(!r.stdout.includes('the-private-half'));

    fake.hideKeys = true;
    fake.extraJwks = [{ kty: 'RSA', kid: 'rsa-1', n: 'AQAB', e: 'AQAB' }];
    const none = await seatkey(['keys', '--base-url', fake.baseUrl, '--json']);
    assert.equal(none.code, 1);
    assert.equal(none.json.error.code, 'bad_response');
  });

  it('exits 2 with usage on bad arguments', async () => {
    for (const args of [[], ['frobnicate', '--base-url', 'http://x', '--product', 'p'], ['validate', '--product', 'p'], ['activate', '--base-url', 'http://x', '--product', 'p'], ['validate', '--bogus']]) {
      const r = await seatkey(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /Usage: seatkey/);
    }
    const help = await seatkey(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Commands:/);
  });
});
