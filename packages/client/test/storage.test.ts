// Storage: the default file (atomic, 0600, ordered writes) and damaged caches, which are
// discarded and never crash the client.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultStoragePath, FileStorage, MemoryStorage, NotActivatedError, StorageError } from '../src/index.ts';
import { activated, DAY, fixture, tempDir } from './helpers.ts';

describe('FileStorage', () => {
  it('writes a 0600 file in a 0700 directory, replacing it whole, and reads it back', async () => {
    const dir = join(tempDir(), 'nested', 'seatkey');
    const path = join(dir, 'app.json');
    const storage = new FileStorage(path);
    assert.equal(await storage.read(), null);
    await storage.write('{"a":1}');
    await storage.write('{"b":2}');
    assert.equal(await storage.read(), '{"b":2}');
    if (process.platform !== 'win32') {
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
    }
    assert.deepEqual(readdirSync(dir), ['app.json'], 'no temporary file left behind');
    await storage.clear();
    assert.equal(await storage.read(), null);
    await storage.clear();
  });

  it('lands simultaneous writes in the order they were made', async () => {
    const storage = new FileStorage(join(tempDir(), 'app.json'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => storage.write(String(i))));
    assert.equal(await storage.read(), '19');
  });

  it('leaves no temporary file when the rename fails', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.json');
    await mkdir(join(path, 'occupied'), { recursive: true }); // a non-empty directory cannot be renamed over
    await assert.rejects(new FileStorage(path).write('new'));
    assert.deepEqual(readdirSync(dir), ['app.json']);
  });

  it("defaults to a file named after the product in the user's config directory", () => {
    const path = defaultStoragePath('my-app');
    assert.match(path, /seatkey[/\\]my-app\.json$/);
    assert.match(defaultStoragePath('../../etc/passwd'), /seatkey[/\\]\.\._\.\._etc_passwd\.json$/, 'no path escapes');
  });
});

describe('the client with a file', () => {
  it('picks up the activation in a later run, offline', async () => {
    const path = join(tempDir(), 'app.json');
    const { fake, newClient } = await activated({ storage: new FileStorage(path) });
    fake.offline = true;
    const r = await newClient().validate();
    assert.ok(r.valid && r.source === 'cached');
    const text = await readFile(path, 'utf8');
    assert.ok(!text.includes('"fingerprint"'), 'the fingerprint is not stored');
  });

  it('rejects activate with StorageError when the file cannot be written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-dir'), '');
    const { client, license } = await fixture({ storage: new FileStorage(join(dir, 'not-a-dir', 'app.json')) });
    const e = await client.activate(license.key).catch((e: unknown) => e);
    assert.ok(e instanceof StorageError, String(e));
    assert.equal(e.retryable, false);
  });
});

/** Memory storage whose writes fail on demand, like a full disk. */
class FlakyStorage extends MemoryStorage {
  failWrites = false;
  override async write(data: string): Promise<void> {
    if (this.failWrites) throw new Error('ENOSPC: no space left on device');
    return super.write(data);
  }
}

describe('a cache that cannot be written', () => {
  it('leaves activate() refused with StorageError and the old activation in place', async () => {
    const storage = new FlakyStorage();
    const { client, fake } = await activated({ storage });
    const before = await client.status();
    storage.failWrites = true;
    const other = fake.addLicense({ productId: 'demo-app' });
    await assert.rejects(client.activate(other.key), StorageError);
    const after = await client.status();
    assert.ok(before.activated && after.activated);
    assert.equal(after.license.licenseKey, before.license.licenseKey);
  });

  it('does not cost validate() its answer', async () => {
    const storage = new FlakyStorage();
    const { client, fake, clock } = await activated({ storage });
    storage.failWrites = true;
    clock.advance(2 * DAY);
    const r = await client.validate();
    assert.ok(r.valid && r.source === 'online', JSON.stringify(r));
    assert.equal((await client.validate()).valid && fake.calls.validate, 1, 'this run remembers the check');
  });
});

describe('a damaged cache', () => {
  const damage: Array<[string, (valid: string) => string]> = [
    ['truncated', (v) => v.slice(0, Math.floor(v.length / 2))],
    ['empty', () => ''],
    ['binary', () => '\u0000\u00ff\u00fe garbage'],
    ['from another version', (v) => v.replace('"v":1', '"v":99')],
    ['JSON of the wrong shape', () => JSON.stringify({ v: 1, activation: { licenseKey: 42 }, clock: null })],
    ['missing a field', (v) => JSON.stringify({ ...JSON.parse(v), clock: undefined })],
    ['an activation missing a field', (v) => JSON.stringify({ ...JSON.parse(v), activation: { ...JSON.parse(v).activation, token: undefined } })],
    ['a JSON array', () => '[]'],
    ['null', () => 'null'],
  ];
  for (const [what, spoil] of damage) {
    it(`${what}: is discarded, never a crash`, async () => {
      const path = join(tempDir(), 'app.json');
      const first = await activated({ storage: new FileStorage(path) });
      await writeFile(path, spoil(await readFile(path, 'utf8')));
      const client = first.newClient();
      const r = await client.validate();
      assert.ok(!r.valid && r.error instanceof NotActivatedError, String(!r.valid && r.error));
      await assert.rejects(readFile(path), { code: 'ENOENT' }, 'the damaged file is gone');
      // …and the app can activate again.
      await client.activate(first.license.key);
      assert.ok((await client.validate()).valid);
    });
  }

  it('an unreadable cache counts as none', async () => {
    const path = join(tempDir(), 'app.json');
    await mkdir(path, { recursive: true }); // reading a directory fails with EISDIR
    const { client } = await fixture({ storage: new FileStorage(path) });
    const r = await client.validate();
    assert.ok(!r.valid && r.error instanceof NotActivatedError);
    assert.ok(statSync(path).isDirectory(), 'what could not be read is not deleted either');
  });
});
