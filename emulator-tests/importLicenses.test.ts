// importLicenses (creators moving from another system, keys and all) and the key facts support
// reads (getLicense `facts`), through HTTP against the emulators.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateLicenseKey } from '../functions/src/domain/licenseKey.ts';
import { client, machine } from './clientHelpers.ts';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, uid } from './helpers.ts';

/** A key in another system's format: five groups of five, or a UUID. */
const foreignKey = (): string => Array.from({ length: 5 }, () => randomBytes(3).toString('hex').slice(0, 5).toUpperCase()).join('-');
const uuidKey = (): string => crypto.randomUUID();

const app = client();

describe('importLicenses', () => {
  it('imports keys in their own format, reports per row, and the client endpoints accept them', async () => {
    const c = await newCreator('import');
    const productId = await newProduct(c, { maxMachines: 2 });
    const dashed = foreignKey();
    const uuid = uuidKey();
    const minted = generateLicenseKey('OLD');
    const fingerprints = [machine(), machine()];
    const r = await asCreator(c.apiKey, 'importLicenses', {
      licenses: [
        {
          licenseKey: `  ${dashed.toLowerCase()} `,
          email: 'Ada@Example.com',
          productId,
          expiresAt: '2030-01-01T00:00:00Z',
          activations: fingerprints.map((f, i) => ({ machineFingerprint: f, hostname: `box-${i}`, firstSeen: `2024-0${i + 1}-01T00:00:00Z` })),
        },
        { licenseKey: uuid, email: 'bob@example.com', productId, maxMachines: 5 },
        { licenseKey: minted, email: 'cy@example.com', productId },
      ],
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.results.map((x: any) => [x.licenseKey, x.result]),
      [
        [dashed, 'created'],
        [uuid.toUpperCase(), 'created'],
        [minted, 'created'],
      ],
    );
    assert.deepEqual([r.body.created, r.body.existing, r.body.refused], [3, 0, 0]);

    const got = await asCreator(c.apiKey, 'getLicense', { licenseKey: dashed });
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.license.licenseKey, dashed);
    assert.equal(got.body.license.email, 'ada@example.com');
    assert.equal(got.body.license.expiresAt, '2030-01-01T00:00:00.000Z');
    assert.equal(got.body.license.imported, true);
    assert.equal(got.body.license.activatedAt, '2024-01-01T00:00:00.000Z');
    assert.equal(got.body.machinesUsed, 2);
    assert.deepEqual(got.body.activations.map((a: any) => a.hostname).sort(), ['box-0', 'box-1']);

    // The buyer's machines keep working, in any case and with stray spaces; the imported seats count.
    const again = await app('activate', { licenseKey: dashed.toLowerCase(), machineFingerprint: fingerprints[0], productId });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.machinesUsed, 2);
    const third = await app('activate', { licenseKey: dashed, machineFingerprint: machine(), productId });
    assert.equal(third.status, 403, third.text);
    assert.equal(third.body.code, 'machine_limit');
    const v = await app('validate', { token: again.body.token, machineFingerprint: fingerprints[0], licenseKey: ` ${dashed} ` });
    assert.equal(v.status, 200, v.text);
    assert.equal((await app('verify', { licenseKey: uuid })).body.maxMachines, 5);
    const fresh = await app('activate', { licenseKey: minted.toLowerCase(), machineFingerprint: machine(), productId });
    assert.equal(fresh.status, 200, fresh.text);
    const off = await app('deactivate', { licenseKey: dashed.toLowerCase(), machineFingerprint: fingerprints[1] });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.machinesUsed, 1);

    // An unknown key of a foreign format is simply not found; a Seatkey-shaped typo is still a 400.
    assert.equal((await app('verify', { licenseKey: foreignKey() })).status, 404);
    const typo = minted.slice(0, -1) + (minted.endsWith('A') ? 'B' : 'A');
    assert.equal((await app('verify', { licenseKey: typo })).status, 400);
  });

  it('is idempotent by key: a re-import reports existing and changes nothing', async () => {
    const c = await newCreator('import');
    const productId = await newProduct(c);
    const key = foreignKey();
    const first = await asCreator(c.apiKey, 'importLicenses', { licenses: [{ licenseKey: key, email: 'a@example.com', productId }] });
    assert.equal(first.body.results[0].result, 'created', first.text);
    const again = await asCreator(c.apiKey, 'importLicenses', { licenses: [{ licenseKey: key.toLowerCase(), email: 'changed@example.com', productId, maxMachines: 9 }] });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body.results[0], { index: 0, licenseKey: key, result: 'existing' });
    const got = await asCreator(c.apiKey, 'getLicense', { licenseKey: key });
    assert.equal(got.body.license.email, 'a@example.com');
    const listed = await asCreator(c.apiKey, 'listLicenses', { productId });
    assert.equal(listed.body.licenses.length, 1);
  });

  it("refuses only the rows whose key another creator holds or whose product is not the caller's", async () => {
    const a = await newCreator('import');
    const b = await newCreator('import');
    const productA = await newProduct(a);
    const productB = await newProduct(b);
    const taken = foreignKey();
    assert.equal((await asCreator(a.apiKey, 'importLicenses', { licenses: [{ licenseKey: taken, email: 'a@example.com', productId: productA }] })).body.created, 1);
    const mine = foreignKey();
    const r = await asCreator(b.apiKey, 'importLicenses', {
      licenses: [
        { licenseKey: taken, email: 'b@example.com', productId: productB },
        { licenseKey: mine, email: 'b@example.com', productId: productB },
        { licenseKey: foreignKey(), email: 'b@example.com', productId: productA },
        { licenseKey: foreignKey(), email: 'b@example.com', productId: productB, variant: 'nope' },
        { licenseKey: foreignKey(), email: 'b@example.com', productId: productB, maxMachines: 1, activations: [{ machineFingerprint: 'm1' }, { machineFingerprint: 'm2' }] },
      ],
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.results.map((x: any) => x.code ?? x.result),
      ['key_taken', 'created', 'not_found', 'not_found', 'invalid_request'],
    );
    assert.equal(r.body.refused, 4);
    assert.ok(!r.text.includes('a@example.com'), 'nothing about the other creator\'s licence leaks');
    // The taken key stays A's, untouched; B cannot see it.
    assert.equal((await asCreator(a.apiKey, 'getLicense', { licenseKey: taken })).body.license.email, 'a@example.com');
    assert.equal((await asCreator(b.apiKey, 'getLicense', { licenseKey: taken })).status, 404);
    assert.equal((await asCreator(b.apiKey, 'listLicenses', { productId: productB })).body.licenses.length, 1);
  });

  it('imports each key exactly once when two overlapping imports run at the same time', async () => {
    const c = await newCreator('import');
    const productId = await newProduct(c);
    const keys = Array.from({ length: 60 }, foreignKey);
    const rows = keys.map((licenseKey, i) => ({ licenseKey, email: `buyer${i}@example.com`, productId }));
    // Two imports sharing 40 keys (the middle ones), started together.
    const [x, y] = await Promise.all([
      asCreator(c.apiKey, 'importLicenses', { licenses: rows.slice(0, 50) }),
      asCreator(c.apiKey, 'importLicenses', { licenses: rows.slice(10).reverse() }),
    ]);
    assert.equal(x.status, 200, x.text);
    assert.equal(y.status, 200, y.text);
    const outcomes = new Map<string, string[]>();
    for (const row of [...x.body.results, ...y.body.results]) outcomes.set(row.licenseKey, [...(outcomes.get(row.licenseKey) ?? []), row.result]);
    for (const key of keys) {
      const seen = outcomes.get(key) ?? [];
      assert.equal(seen.filter((s) => s === 'created').length, 1, `${key}: ${seen}`);
      assert.ok(seen.every((s) => s === 'created' || s === 'existing'), `${key}: ${seen}`);
    }
    assert.equal(x.body.created + y.body.created, 60);
    const listed = await asCreator(c.apiKey, 'listLicenses', { productId, limit: 500 });
    assert.deepEqual(listed.body.licenses.map((l: any) => l.licenseKey).sort(), [...keys].sort());
  });

  it('takes up to 500 rows a call and refuses bad input with 400, before any write', async () => {
    const c = await newCreator('import');
    const productId = await newProduct(c);
    const big = Array.from({ length: 500 }, (_, i) => ({ licenseKey: `K${i}-${randomBytes(4).toString('hex')}`, email: 'x@example.com', productId }));
    const r = await asCreator(c.apiKey, 'importLicenses', { licenses: big });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.equal(r.body.created, 500);
    const tooMany = await asCreator(c.apiKey, 'importLicenses', { licenses: [...big, big[0]] });
    assert.equal(tooMany.status, 400);
    const minted = generateLicenseKey('OLD');
    const typo = minted.slice(0, -1) + (minted.endsWith('A') ? 'B' : 'A');
    for (const licenses of [[], [{ licenseKey: 'a b c d e f', email: 'x@example.com', productId }], [{ licenseKey: foreignKey(), email: 'nope', productId }], 'x']) {
      const bad = await asCreator(c.apiKey, 'importLicenses', { licenses });
      assert.equal(bad.status, 400, JSON.stringify(licenses));
      assert.ok(isErrorShape(bad.body, 'invalid_request'));
    }
    const noKey = await asCreator(c.apiKey, 'importLicenses', { licenses: [{ licenseKey: 'a b c d e f', email: 'x@example.com', productId }] });
    assert.match(noKey.body.error, /licenses\[0\]\.licenseKey/);
    // Other systems mint keys in Seatkey's shape without its check value (Permisoft): imported as they are.
    const shaped = await asCreator(c.apiKey, 'importLicenses', { licenses: [{ licenseKey: typo.toLowerCase(), email: 'x@example.com', productId }] });
    assert.deepEqual(shaped.body.results.map((x: any) => [x.licenseKey, x.result]), [[typo, 'created']], shaped.text);
    assert.equal((await call('importLicenses', { licenses: big.slice(0, 1) })).status, 401);
    assert.equal((await asAdmin('importLicenses', { licenses: [{ licenseKey: foreignKey(), email: 'x@example.com', productId }] })).status, 400, 'the super admin names the creator');
    const asSuper = await asAdmin('importLicenses', { creatorId: c.creatorId, licenses: [{ licenseKey: foreignKey(), email: 'x@example.com', productId }] });
    assert.equal(asSuper.body.created, 1, asSuper.text);
  });
});

describe('key facts (getLicense facts)', () => {
  it('says UNUSED, then ACTIVATED with the first activation time, then REVOKED, with the key masked and the product', async () => {
    const c = await newCreator('facts');
    const productId = await newProduct(c, { name: 'Facts App' });
    const created = await asCreator(c.apiKey, 'createLicense', { email: 'f@example.com', productId });
    const key: string = created.body.licenseKey;
    const facts = async () => (await asCreator(c.apiKey, 'getLicense', { licenseKey: key, facts: true })).body.facts;
    const masked = `${key.split('-')[0]}-****-****-****-${key.slice(-2)}`;
    assert.deepEqual(await facts(), { status: 'UNUSED', activated: false, activatedAt: null, keyMasked: masked, product: { id: productId, slug: productId, name: 'Facts App' }, sandbox: false });
    assert.equal((await asCreator(c.apiKey, 'getLicense', { licenseKey: key })).body.facts, undefined, 'only when asked');

    const fp = machine();
    const act = await app('activate', { licenseKey: key, machineFingerprint: fp, productId });
    assert.equal(act.status, 200, act.text);
    const activated = await facts();
    assert.equal(activated.status, 'ACTIVATED');
    assert.equal(activated.activated, true);
    const at = activated.activatedAt;
    assert.ok(typeof at === 'string' && !Number.isNaN(Date.parse(at)));
    // activatedAt is the first activation: a later machine, or this one leaving, does not move it.
    assert.equal((await app('deactivate', { licenseKey: key, machineFingerprint: fp })).status, 200);
    assert.equal((await app('activate', { licenseKey: key, machineFingerprint: machine(), productId })).status, 200);
    assert.equal((await facts()).activatedAt, at);
    assert.equal((await asCreator(c.apiKey, 'getLicense', { licenseKey: key })).body.license.activatedAt, at);
    assert.equal((await asCreator(c.apiKey, 'getLicense', { licenseKey: key })).body.license.keyMasked, masked);

    assert.equal((await asCreator(c.apiKey, 'revokeLicense', { licenseKey: key })).status, 200);
    assert.equal((await facts()).status, 'REVOKED');
    const other = await newCreator('facts');
    assert.equal((await asCreator(other.apiKey, 'getLicense', { licenseKey: key, facts: true })).status, 404);
  });

  it('masks an imported key of another format', async () => {
    const c = await newCreator('facts');
    const productId = await newProduct(c);
    const key = `LEGACY${uid('k').slice(2).toUpperCase()}`;
    assert.equal((await asCreator(c.apiKey, 'importLicenses', { licenses: [{ licenseKey: key, email: 'x@example.com', productId }] })).body.created, 1);
    const f = (await asCreator(c.apiKey, 'getLicense', { licenseKey: key, facts: true })).body.facts;
    assert.equal(f.keyMasked, `LEGA****${key.slice(-2)}`);
    assert.equal(f.status, 'UNUSED');
  });
});
