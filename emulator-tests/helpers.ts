// Shared test helpers: HTTP calls to the functions emulator and fresh, isolated fixtures.
// Every test creates its own creators and products with random ids, so files can run in any
// order against one emulator without seeing each other's data.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { assertDocumented } from './documented.ts';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the emulator tests through \`npm test\``);
  return v;
}

export const BASE_URL = env('SEATKEY_BASE_URL');
export const ADMIN_SECRET = env('SEATKEY_ADMIN_SECRET');
export const WEBHOOK_SECRET = env('SEATKEY_WEBHOOK_SECRET');
export const FIRESTORE_HOST = env('SEATKEY_FIRESTORE_HOST');
export const PROJECT = env('SEATKEY_PROJECT');

/** A random id with a readable prefix. */
export const uid = (prefix: string): string => `${prefix}-${randomBytes(5).toString('hex')}`;

/** A random client IP: client endpoints are limited per IP, so each test file gets its own. */
export const randomIp = (): string => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 254) + 1).join('.')}`;
const FILE_IP = randomIp();

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** Send this text as the body instead of JSON-encoding `body`. */
  raw?: string;
  contentType?: string;
  ip?: string;
  /** The rate limiter's clock for this call (Unix ms; honoured by the emulator only). */
  clock?: number;
}

export interface Reply<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export async function call<T = any>(name: string, body?: unknown, opts: CallOptions = {}): Promise<Reply<T>> {
  const method = opts.method ?? 'POST';
  const url = new URL(`${BASE_URL}/${name}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { 'x-forwarded-for': opts.ip ?? FILE_IP, ...(opts.clock ? { 'x-seatkey-clock': String(opts.clock) } : {}), ...opts.headers };
  let payload: string | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    payload = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  }
  const reply = await send<T>(url, { method, headers, body: payload });
  // Every reply of a named function must be the one the OpenAPI document promises (documented.ts).
  assertDocumented(name, method, reply.status, reply.body);
  return reply;
}

/** A request, its reply's body parsed as JSON when it is JSON. */
export async function send<T = any>(url: URL, init: { method: string; headers: Record<string, string>; body?: string | undefined }): Promise<Reply<T>> {
  // A request the emulator never answers fails the test clearly instead of hanging the file.
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(240_000) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}

/** A call as the super admin (adminSecret in the body). */
export const asAdmin = <T = any>(name: string, body: Record<string, unknown> = {}, opts?: CallOptions) =>
  call<T>(name, { adminSecret: ADMIN_SECRET, ...body }, opts);

/** A call with a creator's API key (in the body). */
export const asCreator = <T = any>(apiKey: string, name: string, body: Record<string, unknown> = {}, opts?: CallOptions) =>
  call<T>(name, { apiKey, ...body }, opts);

export interface CreatorFixture {
  creatorId: string;
  apiKey: string;
  apiKeyId: string;
}

export async function newCreator(prefix = 'creator'): Promise<CreatorFixture> {
  const creatorId = uid(prefix);
  const r = await asAdmin('createApiKey', { creatorId, name: 'test key' });
  if (r.status !== 200) throw new Error(`createApiKey failed: ${r.status} ${r.text}`);
  return { creatorId, apiKey: r.body.apiKey, apiKeyId: r.body.id };
}

export async function newProduct(creator: CreatorFixture, fields: Record<string, unknown> = {}): Promise<string> {
  const slug = (fields.slug as string | undefined) ?? uid('app');
  const r = await asCreator(creator.apiKey, 'createProduct', { name: `Product ${slug}`, slug, ...fields });
  if (r.status !== 200) throw new Error(`createProduct failed: ${r.status} ${r.text}`);
  return slug;
}

/** The contract's error body for everything but verify/validate. */
export function isErrorShape(body: any, code: string): boolean {
  return body?.success === false && body?.code === code && typeof body?.error === 'string' && body.error.length > 0;
}

/**
 * A rate-limit clock in a window of `windowSeconds` no other test uses (a random one years
 * ahead), a second after the window starts: calls sent with it all fall in that window however
 * long they take, so a test of a windowed limit never depends on the wall clock.
 */
export function privateWindow(windowSeconds: number): { clock: number; start: number; resetAt: number } {
  const ms = windowSeconds * 1000;
  const start = (Math.floor(Date.now() / ms) + 100_000 + Math.floor(Math.random() * 1_000_000)) * ms;
  return { clock: start + 1000, start, resetAt: start + ms };
}

/** Replies grouped by the window they were counted in (their X-RateLimit-Reset). */
export function byWindow(replies: readonly Reply[]): Map<string, { admitted: number; limited: number }> {
  const windows = new Map<string, { admitted: number; limited: number }>();
  for (const r of replies) {
    const reset = r.headers.get('x-ratelimit-reset');
    if (reset === null) throw new Error(`a reply without X-RateLimit-Reset: ${r.status} ${r.text}`);
    const w = windows.get(reset) ?? { admitted: 0, limited: 0 };
    if (r.status === 429) w.limited++;
    else w.admitted++;
    windows.set(reset, w);
  }
  return windows;
}

/** Calls from one IP of their own whose calls the rate limiter counts in `window` (privateWindow). */
export const clientIn = (window: { clock: number }, ip = randomIp()) => (name: string, body: unknown) => call(name, body, { ip, clock: window.clock });

/** The contract's 429 for a limit of `limit`, counted in `window`, with all its headers. */
export function assertRateLimited(r: Reply, limit: number, window: { clock: number; resetAt: number }): void {
  assert.equal(r.status, 429, r.text);
  assert.ok(isErrorShape(r.body, 'rate_limited') || (r.body?.valid === false && r.body?.code === 'rate_limited'), r.text);
  assert.equal(r.headers.get('x-ratelimit-limit'), String(limit));
  assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
  assert.equal(r.headers.get('x-ratelimit-reset'), String(window.resetAt / 1000), 'the end of the window the call was counted in');
  assert.equal(r.headers.get('retry-after'), String((window.resetAt - window.clock) / 1000));
}

/** Runs `one` for 0..n-1, `width` at a time, and returns the results in that order. */
export async function inWaves<T>(n: number, width: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await one(i);
      }
    }),
  );
  return out;
}
