// `npm run openapi`: writes the OpenAPI document built from the compiled functions
// (functions/src/openapi/document.ts) to console/public/openapi.json, which Hosting serves at
// /openapi.json beside the reference page, and the typed admin client's types generated from it
// (packages/admin/src/schema.ts, openapi-typescript). Both are build outputs, not sources: the
// test, start and bench harnesses run this before they build the console. Needs `tsc -p functions`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OPENAPI_FILE = join(ROOT, 'console', 'public', 'openapi.json');
export const ADMIN_TYPES_FILE = join(ROOT, 'packages', 'admin', 'src', 'schema.ts');

/** The document's bytes: the same code gives the same bytes (functions/test/openapi.test.ts). */
export async function documentText() {
  const { buildDocument } = await import(join(ROOT, 'functions', 'lib', 'openapi', 'document.js'));
  return `${JSON.stringify(await buildDocument(), null, 2)}\n`;
}

export async function writeOpenApi() {
  const text = await documentText();
  const write = (file, content) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  write(OPENAPI_FILE, text);
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const types = astToString(await openapiTS(JSON.parse(text)));
  write(ADMIN_TYPES_FILE, `// Generated from console/public/openapi.json by scripts/openapi.mjs: do not edit.\n${types}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeOpenApi();
  console.log('[seatkey] wrote console/public/openapi.json and packages/admin/src/schema.ts');
}
