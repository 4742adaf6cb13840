// Property-based: every endpoint's schema, given generated bodies (emulator-tests/fuzzBodies.ts),
// never throws, and whatever it accepts is something Firestore stores: no empty or reserved map
// keys, no array inside an array, no nesting past Firestore's 20 levels, no time outside a
// Firestore timestamp's range. The same bodies go to every endpoint over HTTP in
// emulator-tests/untrustedInput.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { ZodType } from 'zod';
import { body } from '../../emulator-tests/fuzzBodies.ts';
import { describeIssues } from '../src/http/issues.ts';

const ENDPOINTS = fileURLToPath(new URL('../src/endpoints/', import.meta.url));

/** Every endpoint module's schema (helper modules in endpoints/ export none). */
async function schemas(): Promise<[string, ZodType][]> {
  const out: [string, ZodType][] = [];
  for (const file of readdirSync(ENDPOINTS).sort()) {
    const mod = (await import(`${ENDPOINTS}${file}`)) as { default?: { schema?: ZodType } };
    if (mod.default?.schema) out.push([file.replace(/\.ts$/, ''), mod.default.schema]);
  }
  return out;
}

// Firestore's own limits (https://firebase.google.com/docs/firestore/quotas): timestamps from
// 0001-01-01 to 9999-12-31 (Date.UTC reads year 1 as 1901, hence setUTCFullYear).
const FIRESTORE_MIN = new Date(0).setUTCFullYear(1, 0, 1);
const FIRESTORE_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Why Firestore would refuse to store `value`, if it would. */
function refusal(value: unknown, path: string, depth: number, inArray: boolean): string | undefined {
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isNaN(t) || t < FIRESTORE_MIN || t > FIRESTORE_MAX ? `${path}: ${String(value)} is outside a timestamp's range` : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > 20) return `${path}: nested past 20 levels`;
  if (Array.isArray(value)) {
    if (inArray) return `${path}: an array inside an array`;
    for (const [i, v] of value.entries()) {
      const r = refusal(v, `${path}[${i}]`, depth + 1, true);
      if (r) return r;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === '' || /^__.*__$/.test(k)) return `${path}: key "${k}"`;
    const r = refusal(v, `${path}.${k}`, depth + 1, false);
    if (r) return r;
  }
  return undefined;
}

describe('every endpoint schema, under generated bodies', () => {
  it('never throws, names a field when it refuses, and accepts only what Firestore stores', async () => {
    const all = await schemas();
    assert.ok(all.length >= 45, `found ${all.length} endpoint schemas`);
    for (const [name, schema] of all) {
      fc.assert(
        fc.property(body(), (b) => {
          const parsed = schema.safeParse(b);
          if (!parsed.success) {
            const message = describeIssues(parsed.error.issues);
            assert.match(message, /^Invalid request: \S/, `${name}: ${message}`);
            return;
          }
          // Documents nest the parsed input one level down (a licence's metadata, say).
          const problem = refusal(parsed.data, name, 2, false);
          assert.equal(problem, undefined, `${name} accepted ${JSON.stringify(b)}`);
        }),
        { numRuns: 150 },
      );
    }
  });

  it('refuses the inputs that once became 500s, naming the field', async () => {
    const bySchema = Object.fromEntries(await schemas());
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['createLicense', { email: 'a@b.co', productId: 'app', metadata: { '': 1 } }, /metadata/],
      ['createLicense', { email: 'a@b.co', productId: 'app', metadata: { a: { __b__: 1 } } }, /metadata\.a\.__b__/],
      ['createLicense', { email: 'a@b.co', productId: 'app', metadata: { a: [[1]] } }, /metadata\.a\[0\]/],
      ['createLicense', { email: 'a@b.co', productId: 'app', metadata: JSON.parse(`${'{"a":'.repeat(25)}1${'}'.repeat(25)}`) }, /metadata(\.a)+: nests deeper/],
      ['createLicense', { email: 'a@b.co', productId: 'app', duration: { value: 10_000, unit: 'years' } }, /duration\.value/],
      ['createLicense', { email: 'a@b.co', productId: 'app', purchasedAt: '0000-01-01' }, /purchasedAt/],
      ['updateLicense', { licenseKey: 'ABCD-0000-0000-0000-00', expiresAt: '0000-01-01' }, /expiresAt/],
      ['createProduct', { name: 'x', slug: 'x', duration: { value: 1_201, unit: 'months' } }, /duration\.value/],
      ['paymentWebhook', { type: 'purchase.completed', email: 'a@b.co', productId: 'app', purchaseId: 'o', metadata: { x: [[1]] } }, /metadata\.x\[0\]/],
      ['updateWebhook', { webhookId: '__w__' }, /webhookId/],
      ['updateWebhook', { webhookId: 'a/b' }, /webhookId/],
    ];
    for (const [name, b, field] of cases) {
      const parsed = bySchema[name]!.safeParse(b);
      assert.equal(parsed.success, false, `${name} ${JSON.stringify(b).slice(0, 80)}`);
      assert.match(describeIssues(parsed.error!.issues), field, name);
    }
    // Within the limits, the same shapes are accepted.
    const ok = bySchema.createLicense!.safeParse({ email: 'a@b.co', productId: 'app', metadata: { a: [1, { b: [2] }], c: JSON.parse(`${'{"a":'.repeat(8)}1${'}'.repeat(8)}`) }, duration: { value: 100, unit: 'years' } });
    assert.equal(ok.success, true, JSON.stringify(ok.error?.issues));
  });
});
