// The shared check that every reply the emulator tests receive is the one the OpenAPI document
// promises for that function, method and status: `call` (helpers.ts) runs it on each JSON reply,
// so every endpoint is checked by the tests it already has. The document is the one the harness
// built for this run (scripts/openapi.mjs); schemas are checked with Ajv (JSON Schema 2020-12,
// OpenAPI 3.1's dialect).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

// ajv-formats is CommonJS: its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export const OPENAPI_URL = new URL('../console/public/openapi.json', import.meta.url);
const DOC_ID = 'openapi.json';

interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }> }>>;
  components: { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
}

let loaded: { doc: Doc; ajv: Ajv2020 } | undefined;
function load() {
  if (!loaded) {
    const doc = JSON.parse(readFileSync(OPENAPI_URL, 'utf8')) as Doc;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc as object, DOC_ID);
    loaded = { doc, ajv };
  }
  return loaded;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const validators = new Map<string, ValidateFunction>();

/** A validator for the schema at `ref` (a JSON pointer into the document). */
export function schemaAt(ref: string): ValidateFunction {
  let v = validators.get(ref);
  if (!v) {
    v = load().ajv.getSchema(`${DOC_ID}#${ref}`);
    if (!v) throw new Error(`no schema at ${ref} in the OpenAPI document`);
    validators.set(ref, v);
  }
  return v;
}

/**
 * Throws unless `body` is what the document says `name` answers to `method` with `status`. Calls
 * the document does not describe are left alone: unknown functions, methods an endpoint does not
 * take (405), and replies that are not JSON (the Functions runtime's own 400 for malformed JSON).
 */
export function assertDocumented(name: string, method: string, status: number, body: unknown): void {
  if (body === undefined) return;
  const { doc } = load();
  const path = `/${name}`;
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (!op) return;
  let where = pointer('', 'paths', path, method.toLowerCase(), 'responses', String(status));
  let response = op.responses[String(status)];
  if (response?.$ref) {
    where = response.$ref.slice(1);
    response = doc.components.responses?.[response.$ref.split('/').pop()!];
  }
  if (!response) throw new Error(`${method} ${name} answered ${status}, which its OpenAPI entry does not list: ${JSON.stringify(body).slice(0, 300)}`);
  if (!response.content?.['application/json']?.schema) return;
  const validate = schemaAt(`${where}/content/application~1json/schema`);
  if (!validate(body)) {
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
    throw new Error(`${method} ${name} ${status}: the reply is not what the OpenAPI document says: ${errors.slice(0, 5).join('; ')}\n${JSON.stringify(body).slice(0, 500)}`);
  }
}
