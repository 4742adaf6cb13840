// The OpenAPI 3.1 document, built from what the code already says: every HTTP function index.ts
// exports (through the wrappers in http/functions.ts), each endpoint's own zod schema, reply
// schema (http/replies.ts) and example, its kind's credentials, the error codes of the contract
// (http/errors.ts) and the rate-limit headers. Nothing here is kept by hand per endpoint: a new
// endpoint made with one of the wrappers appears by itself. Build-time only; no function loads it.
// zod-openapi renders the zod schemas (with zod 4's own toJSONSchema): request bodies as their
// input, replies as their output, shared objects (`.meta({ id })`) as components.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { ENDPOINT_SCOPES } from '../domain/apiScopes.js';
import type { ErrorCode } from '../domain/errors.js';
import type { Endpoint } from '../http/endpoint.js';
import { STATUS } from '../http/errors.js';
import { described, type Described } from '../http/functions.js';
import type { ProviderName } from '../domain/paymentConnection.js';

const INDEX = new URL('../index.js', import.meta.url);

/** The endpoint file's opening comment, which says what it does ("// name: …"), as prose. */
function commentOf(load: () => unknown): string | undefined {
  const named = /import\((['"])(.+?)\1\)/.exec(load.toString())?.[2];
  if (!named) return undefined;
  // CG's routes (dialects/cg/) wrap a core endpoint of the same name: its file says what it does.
  const targets = [named.replace(/^\.\/dialects\/cg\//, './endpoints/'), named];
  // Compiled (lib/…/x.js), or the source itself when run through tsx (src/…/x.ts).
  const file = targets.flatMap((t) => [fileURLToPath(new URL(t, INDEX)), fileURLToPath(new URL(t.replace(/\.js$/, '.ts'), INDEX))]).find(existsSync);
  if (!file) return undefined;
  const source = readFileSync(file, 'utf8');
  const lines: string[] = [];
  for (const line of source.split('\n')) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/ ?/, ''));
  }
  const prose = lines.join(' ').replace(/^\w+( \([^)]*\))?: /, '');
  return prose ? prose.charAt(0).toUpperCase() + prose.slice(1) : undefined;
}

const firstSentence = (text: string): string => {
  return (/^.+?[.:;](\s|$)/.exec(text)?.[0] ?? text).trim().replace(/[.:;]$/, '');
};

const errorBody = (flag: 'success' | 'valid') =>
  z
    .object({
      [flag]: z.literal(false),
      error: z.string().meta({ description: 'A human message; for 400, it names the field' }),
      code: z.enum(Object.keys(STATUS) as [ErrorCode, ...ErrorCode[]]),
    })
    .meta({ id: flag === 'valid' ? 'ValidError' : 'Error' });
const ERROR = errorBody('success');
const VALID_ERROR = errorBody('valid');

const rateHeaders = {
  'X-RateLimit-Limit': { description: 'Calls the limit admits per window', schema: { type: 'integer' as const } },
  'X-RateLimit-Remaining': { description: 'Calls left in this window', schema: { type: 'integer' as const } },
  'X-RateLimit-Reset': { description: 'When the window ends (Unix seconds)', schema: { type: 'integer' as const } },
};
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' as const } } };

const WHEN: Record<number, string> = {
  400: 'Malformed JSON, or a missing or invalid field (the message names it)',
  401: 'Missing, wrong or revoked credentials',
  403: 'The licence, token, key scope or role forbids it',
  404: 'Unknown, or outside the caller\'s creator',
  405: 'A method the endpoint does not take (with Allow)',
  409: 'A taken slug, id or code; a change to a permanently deactivated licence',
  413: 'A body over 64 KiB',
  429: 'A rate limit (with Retry-After and X-RateLimit-*), or transfer_limit',
  500: 'Unexpected; details only in the server log',
  503: 'busy: a transaction lost under contention; nothing was written; retry after Retry-After',
};

type Kind = Described['kind'];
const STATUSES_OF: Record<Kind, number[]> = {
  admin: [400, 401, 403, 404, 405, 409, 413, 429, 500, 503],
  account: [400, 401, 403, 404, 405, 409, 413, 429, 500, 503],
  buyer: [400, 401, 403, 404, 405, 413, 429, 500, 503],
  client: [400, 401, 403, 404, 405, 409, 413, 429, 500, 503],
  webhook: [400, 401, 403, 404, 405, 409, 413, 500, 503],
  // Open endpoints may still be rate limited (portalRequestLink) or lose a transaction.
  open: [400, 405, 413, 429, 500, 503],
  provider: [400, 401, 404, 405, 409, 413, 500, 503],
  dialect: [],
};

const codesOf = (status: number) => (Object.entries(STATUS) as [ErrorCode, number][]).filter(([, s]) => s === status).map(([c]) => c);

// One component per status and body shape, referred to by every operation that can answer it.
const errorResponse = (status: number, flag: 'success' | 'valid'): ZodOpenApiResponseObject => ({
  id: `${flag === 'valid' ? 'ValidError' : 'Error'}${status}`,
  description: `${WHEN[status]}. Codes: ${codesOf(status).join(', ')}`,
  ...(status === 429 ? { headers: { ...retryAfter, ...rateHeaders } } : status === 503 ? { headers: retryAfter } : {}),
  content: { 'application/json': { schema: flag === 'valid' ? VALID_ERROR : ERROR } },
});
const ERROR_RESPONSES = new Map(
  (['success', 'valid'] as const).flatMap((flag) => Object.keys(WHEN).map((status) => [`${flag} ${status}`, errorResponse(Number(status), flag)] as const)),
);

function errorResponses(kind: Kind, flag: 'success' | 'valid'): ZodOpenApiResponsesObject {
  const out: ZodOpenApiResponsesObject = {};
  for (const status of STATUSES_OF[kind]) out[String(status) as '400'] = ERROR_RESPONSES.get(`${flag} ${status}`)!;
  return out;
}

const ANY_ADMIN: Record<string, string[]>[] = [{ AdminSecret: [] }, { ApiKeyHeader: [] }, { ApiKeyQuery: [] }, { ApiKeyBearer: [] }, { IdToken: [] }];
const PROVIDER_SCHEMES: Record<ProviderName, string> = {
  stripe: 'StripeSignature',
  paddle: 'PaddleSignature',
  lemonsqueezy: 'LemonSqueezySignature',
  polar: 'PolarSignature',
  gumroad: 'GumroadToken',
};

function securityOf(spec: Endpoint): Record<string, string[]>[] {
  switch (spec.kind) {
    case 'admin':
      if (spec.superOnly) return [{ AdminSecret: [] }];
      if (spec.who) return [{ AdminSecret: [] }, { IdToken: [] }];
      return ANY_ADMIN;
    case 'account':
    case 'buyer':
      return [{ IdToken: [] }];
    case 'client':
      // None by default; a product may require one of its publishable keys.
      return [{}, { PublishableKey: [] }, { PublishableKeyBearer: [] }];
    case 'webhook':
      return [{ WebhookSecret: [] }];
    case 'open':
      return [];
  }
}

const TAG_OF_SCOPE: Record<string, string> = {
  licenses: 'Licences',
  products: 'Products',
  codes: 'Codes',
  stats: 'Sales and stats',
  events: 'Events',
  webhooks: 'Webhooks',
  keys: 'API keys',
  members: 'Members',
};
function tagOf(name: string, kind: Kind): string {
  if (kind === 'client') return 'Client';
  if (kind === 'account') return 'Accounts';
  if (kind === 'buyer') return 'Buyer portal';
  if (kind === 'webhook' || kind === 'provider') return 'Payment webhooks';
  if (kind === 'dialect') return 'Other systems\' APIs';
  // The portal's sign-in link is open (the buyer has no token yet) but belongs with the portal.
  if (kind === 'open') return name.startsWith('portal') ? 'Buyer portal' : 'Health';
  const scope = ENDPOINT_SCOPES[name];
  return (scope && TAG_OF_SCOPE[scope.split(':')[0]!]) ?? 'Admin';
}

function describeKind(spec: Endpoint, name: string): string {
  const scope = ENDPOINT_SCOPES[name];
  switch (spec.kind) {
    case 'admin':
      if (spec.superOnly) return 'Super admin only (adminSecret).';
      if (spec.who === 'person') return 'People only: a member\'s Firebase ID token or adminSecret (an API key is 401).';
      if (spec.who === 'owner') return 'The owner only: the owner\'s Firebase ID token or adminSecret (a teammate is 403, an API key 401).';
      return `adminSecret, an API key (scope \`${scope ?? '?'}\`) or a member's Firebase ID token.`;
    case 'account':
      return 'A Firebase ID token, with or without an account yet.';
    case 'buyer':
      return "A buyer's Firebase ID token with a verified email (the portal's email-link sign-in), acting on that address's licences only.";
    case 'client':
      return 'No credential: the licence key is the credential (a product may require a publishable key).';
    case 'webhook':
      return 'The platform webhook secret or one of the creator\'s webhook secrets.';
    case 'open':
      return 'No credential.';
  }
}

/** The success body: the endpoint's reply fields with the flag the pipeline adds (none for `raw`). */
function successSchema(spec: Endpoint) {
  const shape = spec.shape ?? 'success';
  const fields = spec.response ?? z.looseObject({});
  if (shape === 'raw') return fields;
  const flag = { [shape]: z.literal(true) };
  if (!(fields instanceof z.ZodUnion)) return fields.extend(flag);
  // Each case keeps its title (what the call did); `extend` makes a new schema without it.
  return z.union(fields.options.map((o) => o.extend(flag).meta({ title: o.meta()?.title })));
}

function operation(name: string, spec: Endpoint, method: 'post' | 'get'): ZodOpenApiOperationObject {
  const prose = commentOf(described.get(name)!.load) ?? name;
  const flag = spec.shape === 'valid' ? 'valid' : 'success';
  const limited = spec.kind === 'admin' || spec.kind === 'account' || spec.kind === 'buyer' || spec.kind === 'client';
  const body = spec.schema;
  const op: ZodOpenApiOperationObject = {
    operationId: method === 'post' ? name : `${name}ByQuery`,
    summary: firstSentence(prose),
    description: `${prose}\n\n**Credentials:** ${describeKind(spec, name)}${spec.response ? '' : '\n\nThe reply\'s fields are not described yet.'}`,
    // Marks the operations still without a reply schema (functions/test/openapi.test.ts lists them).
    ...(spec.response ? {} : { 'x-reply-undescribed': true }),
    tags: [tagOf(name, spec.kind)],
    security: securityOf(spec),
    responses: {
      '200': {
        description: 'Done',
        ...(limited ? { headers: { ...rateHeaders } } : {}),
        content: { 'application/json': { schema: successSchema(spec), ...(spec.example?.response ? { example: spec.example.response } : {}) } },
      },
      ...errorResponses(spec.kind, flag),
    },
  };
  if (method === 'post') {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: body, ...(spec.example ? { example: spec.example.request } : {}) } },
    };
  } else if (body instanceof z.ZodObject) {
    op.requestParams = { query: body };
  }
  return op;
}

function providerOperation(name: string, provider: ProviderName): ZodOpenApiOperationObject {
  return {
    operationId: name,
    summary: `${provider} webhook events for one payment connection`,
    description:
      `Where ${provider} sends its webhook events for a payment connection (createPaymentConnection returns the URL). ` +
      'The signature is checked on the raw body before anything is parsed; a bad one is 401 and writes nothing. ' +
      'The body is the provider\'s own event.',
    tags: [tagOf(name, 'provider')],
    security: [{ [PROVIDER_SCHEMES[provider]]: [] }],
    requestParams: { path: z.object({ connectionId: z.string().meta({ description: 'The payment connection (pc_…)' }) }) },
    requestBody: { required: true, content: { 'application/json': { schema: z.looseObject({}) }, 'application/x-www-form-urlencoded': { schema: z.looseObject({}) } } },
    responses: {
      '200': { description: 'Applied (or already applied: deliveries are idempotent)', content: { 'application/json': { schema: z.looseObject({ success: z.literal(true) }) } } },
      ...errorResponses('provider', 'success'),
    },
  };
}

/**
 * Another system's route (functions/src/dialects/): its request, reply and errors are in that
 * system's own words, as its document gives them (docs/dialects.md), not the contract's.
 */
function dialectOperation(name: string, core: 'client' | 'admin', load: () => unknown): ZodOpenApiOperationObject {
  const prose = commentOf(load) ?? name;
  const theirs = z.looseObject({}).meta({ description: 'In the other system\'s own words (docs/dialects.md)' });
  return {
    operationId: name,
    summary: firstSentence(prose),
    description: `${prose}\n\nServed at the other system's own path through Hosting (docs/dialects.md) and at this function URL. **Credentials:** ${core === 'client' ? 'as the system documents it (a publishable key, the tenant API key, or none)' : 'the publisher API key mapped onto a Seatkey API key'}.`,
    tags: [tagOf(name, 'dialect')],
    security: core === 'client' ? [{}, { PublishableKeyBearer: [] }, { ApiKeyBearer: [] }] : [{ ApiKeyBearer: [] }],
    requestBody: { required: false, content: { 'application/json': { schema: theirs } } },
    responses: {
      '200': { description: 'The system\'s own reply', content: { 'application/json': { schema: theirs } } },
      default: { description: 'The system\'s own error shape and codes', content: { 'application/json': { schema: theirs } } },
    },
  };
}

/** Where an operation lives: `/<name>`, or `/<name>/{connectionId}` for a payment provider's webhooks. */
export const pathOf = (name: string, kind: Kind): string => (kind === 'provider' ? `/${name}/{connectionId}` : `/${name}`);

export async function buildDocument(): Promise<ReturnType<typeof createDocument>> {
  await import('../index.js');
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const paths: ZodOpenApiPathsObject = {};
  for (const [name, entry] of described) {
    if (entry.kind === 'provider') {
      paths[pathOf(name, 'provider')] = { post: providerOperation(name, entry.provider) };
      continue;
    }
    if (entry.kind === 'dialect') {
      const route = (await entry.load()).default;
      // CG's routes are the contract's own functions with CG's names kept (dialects/cg/): described
      // as their core endpoint; other systems' in their own words.
      if (!/dialects\/cg\//.test(entry.load.toString())) {
        const methods = (route.methods ?? ['POST']).map((m) => m.toLowerCase());
        paths[pathOf(name, 'dialect')] = Object.fromEntries(methods.map((m) => [m, { ...dialectOperation(name, entry.core, entry.load), operationId: m === 'post' ? name : `${name}_${m}` }]));
        continue;
      }
      const spec = route.endpoint;
      paths[pathOf(name, 'dialect')] = { post: operation(name, spec, 'post'), ...(spec.get ? { get: operation(name, spec, 'get') } : {}) };
      continue;
    }
    const spec = (await entry.load()).default;
    paths[pathOf(name, entry.kind)] = {
      post: operation(name, spec, 'post'),
      ...(spec.get ? { get: operation(name, spec, 'get') } : {}),
    };
  }
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Seatkey API',
        version,
        description:
          'Seatkey\'s HTTP API: one function per endpoint. Every endpoint takes POST with a JSON body; ' +
          'read-only ones also take GET with the same fields as query parameters. The binding contract is docs/contract.md.',
      },
      servers: [
        { url: '{origin}/api', description: 'Through Firebase Hosting (same origin as the console)', variables: { origin: { default: 'https://your-project.web.app' } } },
        { url: 'https://{region}-{project}.cloudfunctions.net', description: 'A function\'s own URL', variables: { region: { default: 'us-central1' }, project: { default: 'your-project' } } },
        { url: 'http://127.0.0.1:5001/{project}/us-central1', description: 'The local emulator (npm start)', variables: { project: { default: 'demo-seatkey' } } },
      ],
      tags: [...new Set(Object.values(paths).flatMap((p) => Object.values(p).flatMap((op) => (op as ZodOpenApiOperationObject).tags ?? [])))].map((name) => ({ name })),
      components: {
        securitySchemes: {
          AdminSecret: { type: 'apiKey', in: 'header', name: 'X-Admin-Secret', description: 'The super admin\'s ADMIN_SECRET; also the body field `adminSecret`. Never a query parameter (401).' },
          ApiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A creator\'s API key (sk_live_… or sk_test_…); also the body field `apiKey`.' },
          ApiKeyQuery: { type: 'apiKey', in: 'query', name: 'apiKey', description: 'A creator\'s API key in the query string.' },
          ApiKeyBearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer sk_live_…' },
          IdToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A person\'s Firebase ID token (the console).' },
          PublishableKey: { type: 'apiKey', in: 'header', name: 'X-Publishable-Key', description: 'A product\'s publishable key (pk_live_… / pk_test_…); also the body field `publishableKey` or X-API-Key: pk_….' },
          PublishableKeyBearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer pk_…' },
          WebhookSecret: { type: 'apiKey', in: 'header', name: 'x-webhook-secret', description: 'The platform\'s WEBHOOK_SECRET or a creator\'s webhook secret (whsec_…); also the body field `webhookSecret`.' },
          StripeSignature: { type: 'apiKey', in: 'header', name: 'Stripe-Signature', description: 'Stripe\'s signature of the raw body with the connection\'s signing secret.' },
          PaddleSignature: { type: 'apiKey', in: 'header', name: 'Paddle-Signature', description: 'Paddle Billing\'s signature of the raw body.' },
          LemonSqueezySignature: { type: 'apiKey', in: 'header', name: 'X-Signature', description: 'Lemon Squeezy\'s HMAC-SHA256 of the raw body.' },
          PolarSignature: { type: 'apiKey', in: 'header', name: 'webhook-signature', description: 'Polar\'s Standard Webhooks signature (with webhook-id and webhook-timestamp).' },
          GumroadToken: { type: 'apiKey', in: 'query', name: 'token', description: 'Gumroad signs nothing: the connection\'s URL carries a 256-bit token.' },
        },
      },
      paths,
    },
    {
      // zod writes a long pattern beside `format: date-time`; the format says it.
      override: ({ jsonSchema }) => {
        if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
      },
    },
  );
}
