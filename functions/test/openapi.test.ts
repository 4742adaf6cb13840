// The OpenAPI document (src/openapi/document.ts): it describes every HTTP function index.ts
// exports, its examples are what its schemas accept, and the same code gives the same bytes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import * as index from '../src/index.ts';
import { buildDocument } from '../src/openapi/document.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Json = Record<string, any>;
const doc = JSON.parse(JSON.stringify(await buildDocument())) as Json;
const operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
  Object.entries(item as Json).map(([method, op]) => ({ path, method, op: op as Json })),
);

/** The HTTP functions index.ts exports (firebase-functions marks them with an httpsTrigger). */
const httpFunctions = Object.entries(index)
  .filter(([, f]) => (f as { __endpoint?: { httpsTrigger?: unknown } }).__endpoint?.httpsTrigger !== undefined)
  .map(([name]) => name);
const otherFunctions = Object.keys(index).filter((name) => !httpFunctions.includes(name));

describe('the OpenAPI document', () => {
  it('describes every HTTP function index.ts exports, and nothing else', () => {
    assert.ok(httpFunctions.length > 70, 'index.ts was read');
    const named = new Set(Object.keys(doc.paths).map((p) => p.split('/')[1]));
    assert.deepEqual(httpFunctions.filter((name) => !named.has(name)), [], 'exported HTTP functions missing from the document');
    assert.deepEqual([...named].filter((name) => !httpFunctions.includes(name!)), [], 'paths with no exported function');
    assert.ok(otherFunctions.includes('expireLicenses') && otherFunctions.includes('deliverWebhook'), 'scheduled and task functions are not HTTP endpoints');
  });

  it('gives every operation a summary, credentials, a reply and the contract\'s errors', () => {
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.ok(op.summary && op.summary.length > 3 && op.summary !== path.slice(1), `${where}: summary from the endpoint file`);
      assert.ok(Array.isArray(op.security), `${where}: security`);
      assert.ok(op.responses['200']?.content?.['application/json']?.schema, `${where}: 200 schema`);
      // Other systems' routes answer in their own shapes (docs/dialects.md), not the contract's.
      if (op.tags.includes("Other systems' APIs")) assert.ok(op.responses.default, `${where}: the system's own errors`);
      else assert.ok(op.responses['400'] && op.responses['405'] && op.responses['500'], `${where}: error replies`);
    }
    const activate = doc.paths['/activate'].post;
    assert.deepEqual(activate.requestBody.content['application/json'].schema.required, ['licenseKey', 'machineFingerprint']);
    assert.ok(doc.paths['/listLicenses'].get.parameters.some((p: Json) => p.in === 'query' && p.name === 'productId'), 'GET takes the fields as query parameters');
    assert.deepEqual(doc.paths['/createLicense'].post.security.map((s: Json) => Object.keys(s)[0]).sort(), ['AdminSecret', 'ApiKeyBearer', 'ApiKeyHeader', 'ApiKeyQuery', 'IdToken']);
    assert.deepEqual(doc.paths['/stripeWebhook/{connectionId}'].post.security, [{ StripeSignature: [] }]);
    const limited = doc.components.responses.Error429;
    assert.deepEqual(Object.keys(limited.headers).sort(), ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']);
    assert.ok(doc.components.schemas.Error.properties.code.enum.includes('machine_limit'));
  });

  it('describes every reply: each operation of the contract has its own reply schema', () => {
    const undescribed = operations.filter(({ op }) => op['x-reply-undescribed'] || /not described yet/.test(op.description ?? '')).map(({ method, path }) => `${method} ${path}`);
    assert.deepEqual(undescribed, [], 'operations without a reply schema: give the endpoint file a `response`');
    // Each names its fields (a reply that is only the flag names that), never an open object.
    for (const { path, method, op } of operations) {
      if (op.tags.includes("Other systems' APIs")) continue;
      const resolve = (s: Json): Json => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);
      const schema = resolve(op.responses['200'].content['application/json'].schema);
      const cases = (schema.anyOf ?? [schema]).map(resolve);
      assert.ok(cases.every((c: Json) => Object.keys(c.properties ?? {}).length > 0), `${method.toUpperCase()} ${path}: fields named`);
    }
    // A reply whose fields depend on what the call did is a union, each case described.
    const payment = doc.paths['/paymentWebhook'].post.responses['200'].content['application/json'].schema;
    assert.ok(payment.anyOf.length >= 5 && payment.anyOf.every((s: Json) => s.properties.success), 'paymentWebhook: one schema per kind of event');
  });

  it('has examples, and every one is what its schema accepts', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi.json');
    let checked = 0;
    const visit = (node: unknown, pointer: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Json;
      if (n.schema && 'example' in n) {
        const validate = ajv.getSchema(`openapi.json#${pointer}/schema`)!;
        assert.ok(validate(n.example), `${pointer}: ${JSON.stringify(validate.errors)}`);
        checked++;
      }
      for (const [k, v] of Object.entries(n)) visit(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    };
    visit(doc, '');
    assert.ok(checked >= 8, `only ${checked} examples`);
    // A wrong example would be caught: the same check refuses a broken one.
    const schema = ajv.getSchema('openapi.json#/paths/~1activate/post/responses/200/content/application~1json/schema')!;
    assert.equal(schema({ success: true, token: 42 }), false);
  });

  it('is the same bytes every time it is built', async () => {
    const again = JSON.stringify(await buildDocument());
    assert.equal(again, JSON.stringify(doc));
    // And from the compiled functions, in fresh processes, as the build writes it.
    const script = fileURLToPath(new URL('../../scripts/openapi.mjs', import.meta.url));
    const run = () => execFileSync(process.execPath, ['--input-type=module', '-e', `import { documentText } from ${JSON.stringify(script)}; process.stdout.write(await documentText());`], { maxBuffer: 64 * 1024 * 1024 });
    const first = run();
    assert.ok(first.length > 10_000);
    assert.ok(first.equals(run()), 'two builds gave different bytes');
    assert.deepEqual(JSON.parse(first.toString('utf8')), doc, 'the compiled build says what the source says');
  });

  it('is what docs/endpoints.md, the endpoint table, says', () => {
    const script = fileURLToPath(new URL('../../scripts/openapi.mjs', import.meta.url));
    const table = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `import { text } from 'node:stream/consumers'; import { endpointTable } from ${JSON.stringify(script)}; process.stdout.write(endpointTable(JSON.parse(await text(process.stdin))));`],
      { input: JSON.stringify(doc), maxBuffer: 64 * 1024 * 1024 },
    ).toString('utf8');
    const rows = new Set([...table.matchAll(/^\| `(\w+)[^`]*` \|/gm)].map((m) => m[1]));
    assert.deepEqual(httpFunctions.filter((name) => !rows.has(name)), [], 'functions missing from the table');
    const kept = readFileSync(new URL('../../docs/endpoints.md', import.meta.url), 'utf8');
    assert.equal(kept, table, 'docs/endpoints.md is out of date: run `npm run openapi` and commit it');
  });

  it("is what README.md's function index says, every exported function named", () => {
    const script = fileURLToPath(new URL('../../scripts/openapi.mjs', import.meta.url));
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const expected = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `import { text } from 'node:stream/consumers'; import { withReadmeIndex } from ${JSON.stringify(script)}; const [readme, doc, background] = JSON.parse(await text(process.stdin)); process.stdout.write(withReadmeIndex(readme, doc, background));`],
      { input: JSON.stringify([readme, doc, otherFunctions]), maxBuffer: 64 * 1024 * 1024 },
    ).toString('utf8');
    for (const name of [...httpFunctions, ...otherFunctions]) assert.ok(expected.includes(`\`${name}\``), `${name} missing from the index`);
    assert.equal(readme, expected, "README.md's function index is out of date: run `npm run openapi` and commit it");
  });
});
