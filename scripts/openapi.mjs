// `npm run openapi`: writes the OpenAPI document built from the compiled functions
// (functions/src/openapi/document.ts) to console/public/openapi.json, which Hosting serves at
// /openapi.json beside the reference page, and the typed admin client's types generated from it
// (packages/admin/src/schema.ts, openapi-typescript). Both are build outputs, not sources: the
// test, start and bench harnesses run this before they build the console. It also writes the
// endpoint table, docs/endpoints.md, which is kept in git so it reads on any clone (not with
// --build); a test fails when it no longer matches the document (run `npm run openapi`).
// Needs `tsc -p functions`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OPENAPI_FILE = join(ROOT, 'console', 'public', 'openapi.json');
export const ADMIN_TYPES_FILE = join(ROOT, 'packages', 'admin', 'src', 'schema.ts');
export const ENDPOINTS_FILE = join(ROOT, 'docs', 'endpoints.md');

const CREDENTIAL = {
  AdminSecret: 'adminSecret',
  ApiKeyHeader: 'API key',
  IdToken: 'ID token',
  PublishableKey: 'publishable key if the product requires one',
  WebhookSecret: 'webhook secret',
  StripeSignature: 'Stripe signature',
  PaddleSignature: 'Paddle signature',
  LemonSqueezySignature: 'Lemon Squeezy signature',
  PolarSignature: 'Polar signature',
  GumroadToken: 'token in the URL',
};

/** docs/endpoints.md: every operation of the document, by tag, as a table. */
export function endpointTable(doc) {
  const rows = new Map(doc.tags.map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(doc.paths)) {
    const op = item.post ?? Object.values(item)[0];
    const schemes = op.security.flatMap((s) => Object.keys(s)).map((k) => CREDENTIAL[k]).filter(Boolean);
    const credentials = schemes.length ? [...new Set(schemes)].join(', ') : 'none';
    const methods = Object.keys(item).map((m) => m.toUpperCase()).sort().join(', ');
    rows.get(op.tags[0]).push(`| \`${path.slice(1)}\` | ${methods} | ${credentials} | ${op.summary.replace(/\|/g, '\\|')} |`);
  }
  const sections = [...rows].filter(([, r]) => r.length).map(([tag, r]) => `## ${tag}\n\n| endpoint | methods | credentials | what it does |\n|---|---|---|---|\n${r.join('\n')}\n`);
  return [
    '# Endpoints',
    '',
    '<!-- Generated from the OpenAPI document by scripts/openapi.mjs (`npm run openapi`): do not edit. -->',
    '',
    `Every HTTP function Seatkey exports, from its [OpenAPI document](api.md#the-openapi-document-and-the-reference-page) (${Object.keys(doc.paths).length} endpoints). ` +
      'Each is at `<base>/<endpoint>`: `https://<site>.web.app/api`, the functions\' own URLs, or the emulator\'s. The request fields, replies, ' +
      'errors and examples are on the reference page (`/reference` on Hosting, `http://127.0.0.1:5002/reference` with `npm start`). ' +
      'An API key acts for one creator and needs the scope of the endpoint ([scopes](api.md#api-key-scopes)); `ID token` is a signed-in person of the creator ([console](console.md#accounts)).',
    '',
    ...sections,
  ].join('\n');
}

/** The document's bytes: the same code gives the same bytes (functions/test/openapi.test.ts). */
export async function documentText() {
  const { buildDocument } = await import(join(ROOT, 'functions', 'lib', 'openapi', 'document.js'));
  return `${JSON.stringify(await buildDocument(), null, 2)}\n`;
}

/** Writes the build outputs, and with `table` docs/endpoints.md as well. */
export async function writeOpenApi({ table = true } = {}) {
  const text = await documentText();
  const write = (file, content) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  write(OPENAPI_FILE, text);
  if (table) write(ENDPOINTS_FILE, endpointTable(JSON.parse(text)));
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const types = astToString(await openapiTS(JSON.parse(text)));
  write(ADMIN_TYPES_FILE, `// Generated from console/public/openapi.json by scripts/openapi.mjs: do not edit.\n${types}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // The harnesses pass --build: they write the build outputs, never a file kept in git (so the
  // test that docs/endpoints.md is current cannot pass merely because the run rewrote it).
  const table = !process.argv.includes('--build');
  await writeOpenApi({ table });
  console.log(`[seatkey] wrote console/public/openapi.json, packages/admin/src/schema.ts${table ? ' and docs/endpoints.md' : ''}`);
}
