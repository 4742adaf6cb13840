// The `seatkey` CLI, spawned as a user would run it, against the fake Seatkey.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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
